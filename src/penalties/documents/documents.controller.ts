import { Controller, Get, Param, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { IdParam } from '../../http/id-param.js';
import {
  DecisionDocumentsService,
  type DocumentFormat,
  type RenderedDocument,
  contentDisposition,
} from './documents.service.js';

/** Path parameter `:id` of a penalty decision. */
export class DecisionIdParam {
  @IdParam('the penalty decision (penalty_decision id)')
  id!: number;
}

const READERS = ['admin', 'regulator', 'inspector', 'enterprise'] as const;

const HTML_OK = {
  description: 'the document as one HTML page (escaped, A4 print styles, no script)',
  content: { 'text/html': { schema: { type: 'string' } } },
};
const PDF_OK = {
  description: 'the document as an A4 PDF in Chinese (Noto Sans SC embedded)',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};
const GLYPH = {
  description:
    'a character of the document has no glyph in the PDF font: `errors: [{ field, reason }]` names the field and the character',
};

function send(res: Response, d: RenderedDocument): void {
  res.status(200);
  res.setHeader('Content-Type', d.mediaType);
  res.setHeader('Content-Disposition', contentDisposition('inline', d.asciiName, d.fileName));
  // documents name an enterprise and its penalty: never kept by a shared cache
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(d.body);
}

/**
 * The dual documents of a penalty decision (双书同达, domain.md 3.5): the 行政处罚决定书 and the
 * 信用修复告知书 served with it, each as HTML (to show and print) and as PDF (to download), rendered
 * from the stored decision and the notice's frozen contents. Readers: admins, regulators and
 * inspectors (as for credit records); an enterprise user for its own enterprise only (another's:
 * 404, audited). File names are Chinese (Content-Disposition filename*, RFC 5987) with an ASCII
 * fallback (decision-<id>.pdf, repair-notice-<id>.pdf).
 */
@ApiTags('penalty documents 行政处罚决定书与信用修复告知书')
@Controller('api/penalty-decisions/:id/documents')
export class DecisionDocumentsController {
  constructor(private readonly documents: DecisionDocumentsService) {}

  private async decision(
    p: DecisionIdParam,
    format: DocumentFormat,
    user: AuthUser,
    actor: Actor,
    res: Response,
  ) {
    const doc = await this.documents.decision(p.id, user, actor);
    send(res, await this.documents.render(doc, format, `decision-${p.id}`));
  }

  private async notice(
    p: DecisionIdParam,
    format: DocumentFormat,
    user: AuthUser,
    actor: Actor,
    res: Response,
  ) {
    const doc = await this.documents.repairNotice(p.id, user, actor);
    send(res, await this.documents.render(doc, format, `repair-notice-${p.id}`));
  }

  /**
   * The penalty decision as HTML: number, party, facts, basis, penalty (fine in yuan), payment,
   * rights to 复议 / 诉讼, publication and repair dates, authority and date. 404 unknown (or, for an
   * enterprise user, another enterprise's).
   */
  @Get('decision.html')
  @Roles(...READERS)
  @ApiOperation({ summary: '行政处罚决定书 HTML / the penalty decision as HTML' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  @ApiNotFoundResponse({ description: 'no such decision (for an enterprise user: not its own)' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive whole number' })
  async decisionHtml(
    @Param() p: DecisionIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.decision(p, 'html', user, actor, res);
  }

  /** The penalty decision as PDF (same contents as the HTML). 404 as for the HTML; 422 a character without a glyph. */
  @Get('decision.pdf')
  @Roles(...READERS)
  @ApiOperation({ summary: '行政处罚决定书 PDF / the penalty decision as PDF' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_OK)
  @ApiNotFoundResponse({ description: 'no such decision (for an enterprise user: not its own)' })
  @ApiUnprocessableEntityResponse(GLYPH)
  async decisionPdf(
    @Param() p: DecisionIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.decision(p, 'pdf', user, actor, res);
  }

  /**
   * The credit-repair notice as HTML, from its frozen contents: published or not and where, the
   * period and its last day, the earliest repair date and the conditions, never repaired early,
   * materials (信用承诺书 template), how and where to apply, rights, advice, measures, and the rule
   * behind every date. 404 unknown decision (or another enterprise's), or a decision that needs no
   * notice (the message says why).
   */
  @Get('repair-notice.html')
  @Roles(...READERS)
  @ApiOperation({ summary: '信用修复告知书 HTML / the credit-repair notice as HTML' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  @ApiNotFoundResponse({
    description:
      'no such decision (for an enterprise user: not its own), or the decision needs no notice (why)',
  })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive whole number' })
  async noticeHtml(
    @Param() p: DecisionIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.notice(p, 'html', user, actor, res);
  }

  /** The credit-repair notice as PDF (same contents as the HTML). 404 as for the HTML; 422 a character without a glyph. */
  @Get('repair-notice.pdf')
  @Roles(...READERS)
  @ApiOperation({ summary: '信用修复告知书 PDF / the credit-repair notice as PDF' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_OK)
  @ApiNotFoundResponse({
    description:
      'no such decision (for an enterprise user: not its own), or the decision needs no notice (why)',
  })
  @ApiUnprocessableEntityResponse(GLYPH)
  async noticePdf(
    @Param() p: DecisionIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.notice(p, 'pdf', user, actor, res);
  }
}

/** The 信用承诺书 template (a material of every repair application, domain.md 3.3). Any signed-in user. */
@ApiTags('penalty documents 行政处罚决定书与信用修复告知书')
@Controller('api/credit-repair')
export class CommitmentLetterController {
  constructor(private readonly documents: DecisionDocumentsService) {}

  /** The 信用承诺书 template as HTML, to print, sign and upload with a repair application. */
  @Get('commitment-letter.html')
  @Roles(...READERS)
  @ApiOperation({ summary: '信用承诺书模板 HTML / the commitment letter template as HTML' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  async html(@Res() res: Response): Promise<void> {
    send(res, await this.documents.render(this.documents.commitmentLetter(), 'html', 'commitment-letter'));
  }

  /** The 信用承诺书 template as PDF. */
  @Get('commitment-letter.pdf')
  @Roles(...READERS)
  @ApiOperation({ summary: '信用承诺书模板 PDF / the commitment letter template as PDF' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_OK)
  async pdf(@Res() res: Response): Promise<void> {
    send(res, await this.documents.render(this.documents.commitmentLetter(), 'pdf', 'commitment-letter'));
  }
}
