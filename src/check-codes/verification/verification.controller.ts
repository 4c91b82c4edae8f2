import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpException,
  Inject,
  Logger,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actorOf, type AuthRequest } from '../../auth/auth-user.js';
import { Public } from '../../auth/decorators.js';
import { APP_CONFIG } from '../../config/config.token.js';
import { publicBaseUrl, type AppConfig } from '../../config/configuration.js';
import { isConnectionLost } from '../../database/connection-lost.js';
import { html, publicPage } from '../../http/public-html.js';
import { CheckCodeTextParam, CheckCodeVerificationView, CodeFormQuery } from './dto/verification.dto.js';
import { verificationFormPage, verificationPage } from './verification-page.js';
import { VERIFY_LIMIT_TEXT } from './verification-rate-limit.js';
import { phonesOf, REASON_TEXT, VerificationView, whatToDo } from './verification-view.js';
import { Asker, VerificationService } from './verification.service.js';

/** Who asks, for the audit of refused attempts: the request's actor and the client address. */
function askerOf(req: Request): Asker {
  return { actor: actorOf(req as AuthRequest), address: req.ip ?? null };
}

const UNUSABLE =
  'the code text is unusable (longer than MAX_CODE_TEXT, or holding a character that cannot be stored): 422 naming the field `code`';

/**
 * Verification of inspection codes as JSON (issue 12 "Verifying"): public, no sign-in; the same
 * verdict and the same data as the page /v/<code>.
 */
@ApiTags('check-codes 检查码')
@Controller('api/check-codes')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  /**
   * Verifies an inspection code: the one verdict (rules/verdict.ts judgeCode: format, key,
   * signature, window, then the stored state), as `{ verdict: valid | not_valid, reason,
   * reasonText, whatToDo, state, codeNo, task, enterprise, items, departments, lead, inspectors,
   * validFrom, validUntil, checkWord, checkWordChangesInSeconds, ratingPath, phones }`
   * (CheckCodeVerificationView). A well-formed request about a bad code (forged, altered,
   * unreadable, expired, revoked, not yet valid, never issued) answers 200 with `not_valid` and its
   * reason, and shows none of the code's claims (a genuine code outside its window: its number,
   * window and state). 422 (field `code`): longer than MAX_CODE_TEXT (1500) characters or holding
   * an unstorable character. 429: VERIFY_RATE_LIMIT a minute per address (signed-in users and
   * BUREAU_NETWORKS exempt). Refusals pointing at forgery or misuse are audited
   * (`check_code.verify_refused`, at most one entry per reason and code an hour: refusal-audit.ts).
   */
  @Get(':code/verification')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: '核验检查码 (公开) / verify an inspection code (public)' })
  @ApiOkResponse({
    type: CheckCodeVerificationView,
    description: 'the verdict: valid with the particulars, or not_valid with the reason and what to do',
  })
  @ApiUnprocessableEntityResponse({ description: UNUSABLE })
  @ApiTooManyRequestsResponse({ description: VERIFY_LIMIT_TEXT })
  verify(@Param() p: CheckCodeTextParam, @Req() req: Request): Promise<VerificationView> {
    return this.verification.verify(p.code, askerOf(req));
  }
}

/** Headers of the verification pages: never stored, nothing loaded, never framed, no referrer. */
export function setPageHeaders(res: Response): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
}

/**
 * Errors of the verification pages as pages: a refused code text (422: too long, unstorable
 * characters, an unknown query field) shows the red not-valid page (无法识别); a failure of the
 * service a page saying to try again or call. A person never meets a JSON error there.
 */
@Catch()
export class VerificationPageErrors implements ExceptionFilter {
  private readonly logger = new Logger('CheckCodeVerification');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const s = {
      district: this.config.DISTRICT_NAME,
      bureauPhone: this.config.BUREAU_PHONE,
      bureauPhoneName: this.config.BUREAU_PHONE_NAME,
    };
    setPageHeaders(res);
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const tooLong = /longer than/.test(JSON.stringify(exception.getResponse()));
      const reason = tooLong ? 'too_long' : 'not_base32';
      const view: VerificationView = {
        verdict: 'not_valid',
        reason,
        reasonText: tooLong ? REASON_TEXT.too_long : '无法识别：含有检查码中不会出现的字符',
        whatToDo: whatToDo(reason, null, s),
        state: null,
        stateText: null,
        codeNo: null,
        codeNoText: null,
        validFrom: null,
        validUntil: null,
        task: null,
        enterprise: null,
        items: [],
        departments: [],
        lead: null,
        inspectors: [],
        checkedInAt: null,
        completedAt: null,
        checkWord: null,
        checkWordChangesInSeconds: null,
        ratingPath: null,
        phones: phonesOf(s),
      };
      res.status(exception.getStatus()).send(verificationPage(view, s.district, siteOf(this.config)));
      return;
    }
    const lost = isConnectionLost(exception);
    if (lost) this.logger.warn(`database not answering: ${(exception as Error).message}`);
    else this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (lost) res.setHeader('Retry-After', '10');
    res.status(lost ? 503 : 500).send(
      publicPage(
        '暂时无法核验',
        html`<section>
          <p>系统暂时无法核验检查码，请稍后刷新本页再试。</p>
          <p>如检查人员正在现场，请拨打 12315 或${s.bureauPhoneName} ${s.bureauPhone} 核实后再接受检查。</p>
        </section>`,
        s.district,
        { home: { href: '/v', label: '检查码核验' } },
      ),
    );
  }
}

/**
 * The public page of an inspection code (issue 12 "Verifying"): `/v/<code>` (the QR code carries
 * it upper-cased, `/V/<CODE>`: paths are read case-insensitively) and the form `/v` (`?code=`
 * with a pasted code text or URL). Server-rendered Chinese HTML, no script, no external asset;
 * headers: Cache-Control no-store, CSP `default-src 'none'` with inline styles only,
 * X-Frame-Options DENY, Referrer-Policy no-referrer.
 */
@ApiTags('check-codes 检查码')
@Controller('v')
@UseFilters(VerificationPageErrors)
export class VerificationPageController {
  constructor(
    private readonly verification: VerificationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The form to verify a code by its text; with `?code=` the verification page of that text
   * (as /v/<code>). 200 page; 422 page (无法识别) for a text longer than 1500 characters; 429 page.
   */
  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({ summary: '检查码核验页（表单）/ the verification form page (public HTML)' })
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'text/html; charset=utf-8: the form, or with ?code= the verification page',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiUnprocessableEntityResponse({ description: `${UNUSABLE} (a page)` })
  @ApiTooManyRequestsResponse({ description: `${VERIFY_LIMIT_TEXT} (a page)` })
  async form(@Query() q: CodeFormQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    setPageHeaders(res);
    if (!q.code?.trim()) {
      res.status(200).send(verificationFormPage(this.config.DISTRICT_NAME));
      return;
    }
    const view = await this.verification.verify(q.code, askerOf(req));
    res.status(200).send(verificationPage(view, this.config.DISTRICT_NAME, siteOf(this.config)));
  }

  /**
   * The verification page of a code (what the QR code opens): the verdict in a large green or
   * red box, then, when valid, the check word, the task, the enterprise, the items, departments,
   * inspectors, validity and state (CheckCodeVerificationView). 200 for any code, valid or not;
   * 422 page (无法识别) for a text longer than 1500 characters; 429 page.
   */
  @Get(':code')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: '检查码核验页 / the verification page of a code (public HTML)' })
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'text/html; charset=utf-8: a page without script, valid (green) or not valid (red)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiUnprocessableEntityResponse({ description: `${UNUSABLE} (a page)` })
  @ApiTooManyRequestsResponse({ description: `${VERIFY_LIMIT_TEXT} (a page)` })
  async page(@Param() p: CheckCodeTextParam, @Req() req: Request, @Res() res: Response): Promise<void> {
    setPageHeaders(res);
    const view = await this.verification.verify(p.code, askerOf(req));
    res.status(200).send(verificationPage(view, this.config.DISTRICT_NAME, siteOf(this.config)));
  }
}

/** The host people should see in the address bar of the code page (PUBLIC_BASE_URL's). */
function siteOf(config: AppConfig): string {
  return new URL(publicBaseUrl(config)).host;
}
