/** Chinese names of the verification's checks and what each compares (the public page; the draw page keeps a copy, checked by draw-labels.spec.ts). */
export const CHECK_ZH: Record<string, string> = {
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

/** What each check compares, in Chinese (the API's own words are shown where a check fails). */
export const CHECK_DETAIL_ZH: Record<string, string> = {
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
