import { ApiProperty } from '@nestjs/swagger';

/** One inspection item of the notice with the requirements an inspector checks. */
export class NoticeItemView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ type: [String] }) requirements!: string[];
}

/** One department's items. */
export class NoticeSectionView {
  @ApiProperty({ example: 'market' }) department!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) departmentName!: string;
  @ApiProperty({ type: [NoticeItemView] }) items!: NoticeItemView[];
}

/** GET /api/my/compliance-notice: 新入经营主体合规告知. */
export class ComplianceNoticeView {
  @ApiProperty() enterpriseName!: string;
  @ApiProperty({ type: String, nullable: true, description: 'GB/T 4754 code' }) industryCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' }) establishedOn!: string | null;
  @ApiProperty({ description: 'established within the last newDays days (today included) and in business' })
  newlyRegistered!: boolean;
  @ApiProperty({ description: 'calendar days a registration counts as new' }) newDays!: number;
  @ApiProperty({ type: [NoticeSectionView] }) sections!: NoticeSectionView[];
}
