/** Shapes of the draws API (contract B; src/inspections/dto/draw.dto.ts). */
import { formatShare } from '../../../shared/format';

/** DrawSummaryView. */
export interface DrawSummary {
  id: number;
  seed: string;
  ratios: Record<string, number>;
  algorithm: string;
  candidates: number;
  candidatesDigest: string;
  selected: number;
  createdAt: string;
  createdBy: { name: string; role: string; department: string | null } | null;
  note: string | null;
}

/** DrawView: a draw with its inputs per tier (every tier of the scorecard, best first). */
export interface DrawView extends DrawSummary {
  perTier: { tier: string; candidates: number | null; ratio: number; selected: number }[];
}

/** DrawTargetView. */
export interface DrawTarget {
  position: number;
  tier: string;
  tierPosition: number;
  uscc: string;
  name: string;
  street: string | null;
}

/** "A 0% · B 5% · C 20% · D 60%" in the order of `tiers` (else the ratios' own). */
export function ratioText(ratios: Record<string, number>, tiers?: string[]): string {
  const order = tiers?.length ? tiers.filter((t) => t in ratios) : Object.keys(ratios).sort();
  return order.map((t) => `${t}类 ${formatShare(ratios[t] ?? 0)}`).join(' · ');
}
