import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Query parameters of a paginated list: `page` from 1 and `pageSize` (default `defaultSize`, at
 * most `maxSize`), checked and converted like every query (422 naming the parameter). A list's
 * query class extends `PageQuery(default, max)`.
 */
export function PageQuery(defaultSize: number, maxSize: number) {
  class Page {
    @ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1, maximum: 1_000_000 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(1_000_000)
    page: number = 1;

    @ApiPropertyOptional({ type: 'integer', default: defaultSize, minimum: 1, maximum: maxSize })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxSize)
    pageSize: number = defaultSize;
  }
  return Page;
}

/**
 * Answer of a paginated list: one page of `item`s, the number of all matching, and the page asked
 * for. A list's answer class extends `PageOf(ItemView)` (OpenAPI names it by the subclass).
 */
export function PageOf<T>(item: new () => T) {
  class PageView {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ description: 'every matching item, all pages' }) total!: number;
    @ApiProperty() page!: number;
    @ApiProperty() pageSize!: number;
  }
  return PageView;
}
