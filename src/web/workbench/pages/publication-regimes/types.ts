/** PublicationRegimesView and PublicationPeriodsView (src/penalties/regimes/dto/regimes.dto.ts). */
export type PeriodLength = { years?: number; months?: number; days?: number };
export interface RuleSource {
  document: string;
  article: string;
  also?: RuleSource[];
}
export interface RegimeClass {
  publication: PeriodLength;
  repairAfter: PeriodLength | null;
  repairAfterSensitive: PeriodLength | null;
  label: string;
  source: RuleSource;
  repairSource: RuleSource | null;
}
export interface Regime {
  code: string;
  name: string;
  inForceFrom: string;
  inForceUntil: string | null;
  alternativeUntil: string | null;
  params: {
    publishWithinWorkingDays: number;
    minor: RegimeClass;
    standard: RegimeClass;
    serious: RegimeClass;
    seriousListing: RegimeClass;
    sensitiveDomains: string[];
    notPublishedSource: RuleSource;
    publishWithinSource: RuleSource;
    neverEarlySource: RuleSource;
    sensitiveSource: RuleSource | null;
  };
}
export interface RegimesAnswer {
  regimes: Regime[];
  lowerFineOrganisationFen: number;
  lowerFineNaturalPersonFen: number;
}
export interface PeriodRule extends RuleSource {
  field: string;
  text: string;
}
export interface Periods {
  regimeCode: string;
  regimeName: string;
  published: boolean;
  notPublishedReason: string | null;
  classLabel: string | null;
  decidingType: string | null;
  publishBy: string | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  countsUntil: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  provisional: boolean;
  rules: PeriodRule[];
}
