import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Roles } from '../../auth/decorators.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { unprocessable } from '../../http/api-errors.js';
import { checkDecisionFacts } from '../rules/decision-facts.js';
import {
  type PublicationPeriods,
  lowerFineThresholds,
  publicationPeriods,
} from '../rules/publication-regimes.js';
import { PeriodsPreviewDto, PublicationPeriodsView, PublicationRegimesView } from './dto/regimes.dto.js';
import { PublicationRegimesService } from './publication-regimes.service.js';

/**
 * The publication regimes (公示期规则, domain.md 3.2-3.4) and a calculator of a decision's periods,
 * for regulators and admins: the page 公示期规则 of the workbench.
 */
@ApiTags('publication regimes 公示期规则')
@Controller('api')
export class RegimesController {
  constructor(
    private readonly regimes: PublicationRegimesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every regime as stored, oldest first, with its dates of force and every rule with its source
   * (document, article), and the configured lower-amount fine thresholds in fen.
   */
  @Get('publication-regimes')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '公示期规则 / the publication regimes and their rules' })
  @ApiOkResponse({ type: PublicationRegimesView })
  @ApiForbiddenResponse({ description: 'not a regulator or admin' })
  async list(): Promise<PublicationRegimesView> {
    const t = lowerFineThresholds(this.config);
    return {
      regimes: (await this.regimes.all()) as unknown as PublicationRegimesView['regimes'],
      lowerFineOrganisationFen: t.organisationFen,
      lowerFineNaturalPersonFen: t.naturalPersonFen,
    };
  }

  /**
   * The periods of a decision under the regime in force on its date (or the one requested, if in
   * force then as default or alternative): published or not and why, publish-by (20 working days),
   * publication start and last day (Civil Code art. 201-203), the day it stops counting, the
   * earliest repair date, never ended early, provisional, and the rule behind every date. Nothing
   * is stored. 422 naming the field: kind, decisionDate (missing, not a date, after today, before
   * the first regime), publishedOn (before the decision), procedure, penaltyTypes, fineFen, domain,
   * partyType, regimeCode (unknown, not in force then).
   */
  @Post('publication-periods/preview')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: "公示期计算 / compute a decision's publication and repair periods" })
  @ApiOkResponse({ type: PublicationPeriodsView })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named, reasons in Chinese' })
  @ApiForbiddenResponse({ description: 'not a regulator or admin' })
  async preview(@Body() dto: PeriodsPreviewDto): Promise<PublicationPeriods> {
    const check = checkDecisionFacts(dto, todayInShanghai());
    if (!check.ok) throw unprocessable(check.errors);
    let regime;
    try {
      regime = await this.regimes.forDecision(check.facts.decisionDate, dto.regimeCode);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const field = dto.regimeCode ? 'regimeCode' : 'decisionDate';
      throw unprocessable([{ field, reason: regimeReason(e.message) }]);
    }
    return publicationPeriods(check.facts, regime, lowerFineThresholds(this.config));
  }
}

/** regimeFor's message in Chinese, for the page. */
function regimeReason(message: string): string {
  let m = /no publication regime is in force on (\S+) \(the first starts (\S+)\)/.exec(message);
  if (m) return `${m[1]} 无适用的公示期规则（最早的规则自 ${m[2]} 起施行）`;
  m = /regime '([^']+)' is not in force on (\S+)/.exec(message);
  if (m) return `规则 ${m[1]} 在 ${m[2]} 不适用`;
  m = /regime '([^']+)' is unknown; known: (.*)/.exec(message);
  if (m) return `未知规则 ${m[1]}（已有：${m[2]}）`;
  return message;
}
