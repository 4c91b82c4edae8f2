import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import type { PenaltyType } from '../../credit/rules/record-kinds.js';
import { unprocessable } from '../../http/api-errors.js';
import type { RepairNoticeContents } from '../rules/notice-contents.js';
import type { PublicationPeriods } from '../rules/publication-regimes.js';
import { commitmentLetterDocument } from './commitment-letter.js';
import { type DecisionRecord, type Jurisdiction, decisionDocument } from './decision-document.js';
import { documentHtml } from './document-html.js';
import type { DocumentModel } from './document-model.js';
import { MissingGlyphError, documentPdf } from './document-pdf.js';
import { repairNoticeDocument } from './repair-notice-document.js';

/** The city every district of this service is in. */
const CITY = '上海市';

/** The day the commitment letter template's text was fixed (its PDF's date; not the clock). */
export const COMMITMENT_LETTER_EDITION = '2025-12-15';

/** A rendered document: its bytes, media type and file names (ASCII fallback and Chinese). */
export interface RenderedDocument {
  body: Buffer;
  mediaType: 'text/html; charset=utf-8' | 'application/pdf';
  /** ASCII file name, e.g. decision-12.pdf */
  asciiName: string;
  /** Chinese file name, e.g. 行政处罚决定书-沪市监杨处〔2026〕12号.pdf (sent as filename*, RFC 5987) */
  fileName: string;
}

/** The document formats served. */
export type DocumentFormat = 'html' | 'pdf';

interface Row {
  id: string;
  decision_no: string;
  kind: DecisionRecord['kind'];
  party_type: DecisionRecord['partyType'];
  decision_date: string;
  procedure: DecisionRecord['procedure'];
  penalty_types: string[];
  fine_fen: string | null;
  confiscated_fen: string | null;
  domain: DecisionRecord['domain'];
  outcome: DecisionRecord['outcome'];
  education_given: string | null;
  violation: string;
  legal_basis: string;
  source_department: string;
  periods: PublicationPeriods | null;
  notice_required: boolean;
  no_notice_reason: string | null;
  uscc: string;
  name: string;
  address: string | null;
  notice_no: string | null;
  issued_on: string | null;
  contents: RepairNoticeContents | null;
}

/**
 * The dual documents of a penalty decision (行政处罚决定书 and 信用修复告知书, 双书同达, domain.md 3.5)
 * and the 信用承诺书 template, as HTML and as PDF, rendered from the stored rows (penalty_decision,
 * repair_notice.contents) each time: nothing rendered is stored, so a document always says what
 * the rows say. Readers follow the credit records' read rule: admins, regulators and inspectors
 * read every decision; an enterprise user only its own enterprise's (another's answers 404 as an
 * unknown id, and the refusal is audited `access.denied`).
 */
@Injectable()
export class DecisionDocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private jurisdiction(): Jurisdiction {
    return { city: CITY, district: this.config.DISTRICT_NAME };
  }

  /** The decision and its notice, if the user may read it. @throws NotFoundException unknown, or another enterprise's */
  private async load(id: number, user: AuthUser, actor: Actor): Promise<Row> {
    const [r]: Row[] = await this.dataSource.query(
      `SELECT d.id, d.decision_no, d.kind, d.party_type, to_char(d.decision_date, 'YYYY-MM-DD') AS decision_date,
              d.procedure, d.penalty_types, d.fine_fen, d.confiscated_fen, d.domain, d.outcome, d.education_given,
              d.violation, d.legal_basis, d.source_department, d.periods, d.notice_required, d.no_notice_reason,
              e.uscc, e.name, e.address, n.notice_no, to_char(n.issued_on, 'YYYY-MM-DD') AS issued_on, n.contents
         FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id
         LEFT JOIN repair_notice n ON n.decision_id = d.id
        WHERE d.id = $1`,
      [id],
    );
    const notFound = () => new NotFoundException(`no penalty decision ${id}`);
    if (!r) throw notFound();
    if (user.role === 'enterprise' && r.uscc !== user.enterpriseUscc) {
      await this.scope.deny(
        actor,
        'penalty_decision',
        String(id),
        `enterprise user ${user.username} asked for a decision of another enterprise`,
      );
      throw notFound();
    }
    return r;
  }

  private record(r: Row): DecisionRecord {
    return {
      id: Number(r.id),
      decisionNo: r.decision_no,
      kind: r.kind,
      partyType: r.party_type,
      decisionDate: r.decision_date,
      procedure: r.procedure,
      penaltyTypes: r.penalty_types as PenaltyType[],
      fineFen: r.fine_fen === null ? null : Number(r.fine_fen),
      confiscatedFen: r.confiscated_fen === null ? null : Number(r.confiscated_fen),
      domain: r.domain,
      outcome: r.outcome,
      educationGiven: r.education_given,
      violation: r.violation,
      legalBasis: r.legal_basis,
      sourceDepartment: r.source_department,
      periods: r.periods,
      noticeRequired: r.notice_required,
      noNoticeReason: r.no_notice_reason,
      enterprise: { name: r.name, uscc: r.uscc, address: r.address },
      notice: r.notice_no && r.issued_on ? { noticeNo: r.notice_no, issuedOn: r.issued_on } : null,
    };
  }

  /**
   * The penalty decision (行政处罚决定书) of decision `id` as a document.
   * @throws NotFoundException (404) no such decision, or (enterprise user) another enterprise's
   */
  async decision(id: number, user: AuthUser, actor: Actor): Promise<DocumentModel> {
    return decisionDocument(this.record(await this.load(id, user, actor)), this.jurisdiction());
  }

  /**
   * The credit-repair notice (信用修复告知书) served with decision `id`, from its frozen contents.
   * @throws NotFoundException (404) no such decision (or another enterprise's); the decision needs
   *   no notice (the message says why: not published, summary procedure, warning only...); or its
   *   notice has not been issued
   */
  async repairNotice(id: number, user: AuthUser, actor: Actor): Promise<DocumentModel> {
    const r = await this.load(id, user, actor);
    if (!r.notice_required)
      throw new NotFoundException(
        `penalty decision ${r.decision_no} needs no credit-repair notice (无需信用修复告知书): ${r.no_notice_reason ?? 'not published'}`,
      );
    if (!r.contents)
      throw new NotFoundException(
        `the credit-repair notice of penalty decision ${r.decision_no} has not been issued`,
      );
    return repairNoticeDocument(r.contents);
  }

  /** The 信用承诺书 template, addressed to the district's market-supervision bureau. */
  commitmentLetter(): DocumentModel {
    return commitmentLetterDocument(
      `${CITY}${departmentName(this.config.DISTRICT_NAME, 'market')}`,
      COMMITMENT_LETTER_EDITION,
    );
  }

  /**
   * A document in `format`, with its file names.
   * @param asciiBase the ASCII file name without extension (decision-12)
   * @throws UnprocessableEntityException (422, `errors: [{ field, reason }]`) a character of the
   *   document has no glyph in the PDF font (the field and the character named)
   */
  async render(doc: DocumentModel, format: DocumentFormat, asciiBase: string): Promise<RenderedDocument> {
    if (format === 'html')
      return {
        body: Buffer.from(documentHtml(doc), 'utf8'),
        mediaType: 'text/html; charset=utf-8',
        asciiName: `${asciiBase}.html`,
        fileName: `${doc.fileName}.html`,
      };
    try {
      return {
        body: await documentPdf(doc),
        mediaType: 'application/pdf',
        asciiName: `${asciiBase}.pdf`,
        fileName: `${doc.fileName}.pdf`,
      };
    } catch (e) {
      if (e instanceof MissingGlyphError)
        throw unprocessable([
          {
            field: e.field,
            reason: `the character '${e.character}' (${e.codePoint}) has no glyph in the PDF font ${e.fontFamily}: the PDF cannot be written (字符“${e.character}”无法用PDF字体显示)`,
          },
        ]);
      throw e;
    }
  }
}

/**
 * A Content-Disposition value with an ASCII fallback and the Chinese name as RFC 5987 / 6266
 * `filename*` (UTF-8, percent-encoded; the characters RFC 5987 does not allow bare, ' ( ) *, too).
 */
export function contentDisposition(
  kind: 'inline' | 'attachment',
  asciiName: string,
  fileName: string,
): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}
