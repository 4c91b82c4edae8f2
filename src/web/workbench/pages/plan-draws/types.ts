/** Shapes of the plan draws API (src/inspections/plan-draws/dto/plan-draw.dto.ts). */
export interface DrawStep {
  userId: number | null;
  /** username, or cli:<os user> */
  name: string;
  /** the user's display name (null: the CLI) */
  displayName: string | null;
  at: string;
}
export interface DrawStratum {
  itemId: number;
  itemCode: string;
  itemName: string;
  department: string;
  tier: string;
  ratio: string;
  yearlyCap: number;
  applicable: number;
  notInspectable: number;
  atCap: number;
  ratioZero: number;
  eligible: number;
  drawn: number;
}
export interface PlanDraw {
  id: number;
  plan: {
    id: number;
    planNo: string;
    version: number;
    year: number;
    title: string;
    leadDepartment: string;
    status: string;
  };
  batch: { id: number; seq: number; name: string; windowStart: string; windowEnd: string };
  status: 'committed' | 'revealed' | 'drawn';
  algorithm: string;
  tierDate: string;
  commitment: string;
  publicSource: string;
  publicValue: string | null;
  secret: string | null;
  finalSeed: string | null;
  inputsDigest: string;
  inputs: { name: string; digest: string; lines: number }[];
  resultDigest: string | null;
  summary: {
    strata: DrawStratum[];
    unclassified: { itemCode: string; enterprises: number }[];
    fullCoverage: {
      itemId: number;
      itemCode: string;
      itemName: string;
      department: string;
      enterprises: number;
      perYear: number | null;
    }[];
    targets: number;
    enterprises: number;
    tasks: number;
    inspectors: number;
    skippedForRecusal: number;
  } | null;
  replacements: number;
  steps: {
    committed: DrawStep;
    publicValue: DrawStep | null;
    revealed: DrawStep | null;
    drawn: DrawStep | null;
  };
}
export interface BatchDrawContext {
  plan: PlanDraw['plan'];
  batch: PlanDraw['batch'];
  draw: PlanDraw | null;
  mayDraw: boolean;
}
export interface DrawTarget {
  itemCode: string;
  itemName: string;
  department: string;
  tier: string;
  position: number;
  uscc: string;
  name: string;
  street: string | null;
  status: 'selected' | 'replaced';
  replacesPosition: number | null;
  replacedReason: string | null;
  replacedNote: string | null;
  replacedAt: string | null;
  taskId: number | null;
}
export interface Verification {
  drawId: number;
  match: boolean;
  checks: { name: string; ok: boolean; expected: string | null; actual: string | null; detail: string }[];
  computedAt: string;
  elapsedMs: number;
}

/** 核对项 (the verification's checks). */
export const CHECK_LABELS: Record<string, string> = {
  'inputs.params': '抽取参数文件摘要',
  'inputs.roster': '检查对象名录文件摘要',
  'inputs.inspectors': '执法检查人员名录文件摘要',
  'inputs.recusals': '回避名单文件摘要',
  inputs_digest: '输入总摘要',
  commitment: '种子承诺值',
  final_seed: '最终种子',
  result: '抽取结果',
  result_digest: '结果摘要',
  targets: '抽中企业',
  inspectors: '检查人员分派',
};

/** What each check compares (the same sentences as the public page, public-draws.controller.ts). */
export const CHECK_DETAILS: Record<string, string> = {
  'inputs.params': '重新计算已冻结文件的 SHA-256，与承诺时公布的摘要比较',
  'inputs.roster': '重新计算已冻结文件的 SHA-256，与承诺时公布的摘要比较',
  'inputs.inspectors': '重新计算已冻结文件的 SHA-256，与承诺时公布的摘要比较',
  'inputs.recusals': '重新计算已冻结文件的 SHA-256，与承诺时公布的摘要比较',
  inputs_digest: '四份文件摘要合并后的 SHA-256，与承诺时公布的输入总摘要比较',
  commitment: '揭示的种子的 SHA-256，与种子承诺值比较',
  final_seed: '“种子|公开随机数”的 SHA-256，与最终种子比较',
  result: '尚未抽取',
  result_digest: '按输入和最终种子重新抽取，结果文本的 SHA-256 与保存的结果摘要比较',
  targets: '逐项比较保存的抽中企业（含替补）与重新计算的洗牌位置',
  inspectors: '逐项比较保存的检查人员分派与重新计算的分派',
};

/** 替补原因. */
export const REPLACEMENT_REASON_LABELS: Record<string, string> = {
  closed: '已关闭',
  not_found: '查无下落',
  deregistered: '已注销',
};

/** 输入文件. */
export const INPUT_LABELS: Record<string, string> = {
  params: '抽取参数',
  roster: '检查对象名录',
  inspectors: '执法检查人员名录',
  recusals: '回避名单',
};
