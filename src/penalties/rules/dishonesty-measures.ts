/**
 * The measures that follow each kind of dishonesty information (失信惩戒措施基础清单), as dated
 * data with their source: which restriction applies to the serious list, to judgment defaulters,
 * to the anomaly list and to published penalties. Shown to regulators (GET
 * /api/penalty-decisions/lenient-lists) and, with the repair notice, to the enterprise. A revised
 * list is a new entry (the old one gets its end date), never an edit. Pure.
 */

/** What a measure follows from. */
export const MEASURE_TARGETS = [
  'serious_list', // 列入严重违法失信名单
  'judgment_defaulter', // 失信被执行人
  'anomaly_list', // 列入经营异常名录
  'administrative_penalty', // 受到行政处罚（公示期内）
] as const;
export type MeasureTarget = (typeof MEASURE_TARGETS)[number];

export const MEASURE_TARGET_LABELS: Record<MeasureTarget, string> = {
  serious_list: '严重违法失信名单',
  judgment_defaulter: '失信被执行人',
  anomaly_list: '经营异常名录',
  administrative_penalty: '行政处罚信息（公示期内）',
};

export interface DishonestyMeasure {
  code: string;
  target: MeasureTarget;
  /** the measure, as the list phrases it */
  measure: string;
  /** the document and article it rests on */
  source: string;
  inForceFrom: string;
  inForceUntil: string | null;
}

const BASE_LIST = '全国失信惩戒措施基础清单（2022年版）（发改财金规〔2022〕1917号）';
const ORDER44 = '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）';
const DEFAULTER = '最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）';
const ANOMALY = '企业经营异常名录管理暂行办法（国家工商行政管理总局令第68号）';

export const DISHONESTY_MEASURES: readonly DishonestyMeasure[] = [
  {
    code: 'SL-01',
    target: 'serious_list',
    measure: '依法从严审查行政许可审批项目，不适用告知承诺制',
    source: `${ORDER44}第二十三条；${BASE_LIST}`,
    inForceFrom: '2021-09-01',
    inForceUntil: null,
  },
  {
    code: 'SL-02',
    target: 'serious_list',
    measure: '依法限制参加政府采购、工程招标投标、国有土地出让',
    source: `${ORDER44}第二十三条；${BASE_LIST}`,
    inForceFrom: '2021-09-01',
    inForceUntil: null,
  },
  {
    code: 'SL-03',
    target: 'serious_list',
    measure: '列为重点监管对象，提高检查频次，依法严格监管',
    source: `${ORDER44}第二十三条`,
    inForceFrom: '2021-09-01',
    inForceUntil: null,
  },
  {
    code: 'SL-04',
    target: 'serious_list',
    measure: '不得评为先进、授予荣誉称号，不得获得政府资金支持',
    source: `${ORDER44}第二十三条；${BASE_LIST}`,
    inForceFrom: '2021-09-01',
    inForceUntil: null,
  },
  {
    code: 'JD-01',
    target: 'judgment_defaulter',
    measure: '限制高消费及非生活和工作必需的消费行为（乘坐飞机、列车软卧、高铁一等座等）',
    source: `${DEFAULTER}第八条；最高人民法院关于限制被执行人高消费及有关消费的若干规定`,
    inForceFrom: '2017-05-01',
    inForceUntil: null,
  },
  {
    code: 'JD-02',
    target: 'judgment_defaulter',
    measure: '在政府采购、招标投标、行政审批、政府扶持、融资信贷等方面依法予以限制',
    source: `${DEFAULTER}第八条；${BASE_LIST}`,
    inForceFrom: '2017-05-01',
    inForceUntil: null,
  },
  {
    code: 'AL-01',
    target: 'anomaly_list',
    measure: '在政府采购、工程招投标、国有土地出让、授予荣誉称号等工作中依法予以限制或者禁入',
    source: `${ANOMALY}第十八条；企业信息公示暂行条例第十八条`,
    inForceFrom: '2014-10-01',
    inForceUntil: null,
  },
  {
    code: 'AL-02',
    target: 'anomaly_list',
    measure: '列入经营异常名录期间不予信用修复其他失信信息',
    source: '市场监督管理信用修复管理办法（国市监信规〔2021〕3号）第五条',
    inForceFrom: '2021-09-01',
    inForceUntil: null,
  },
  {
    code: 'AP-01',
    target: 'administrative_penalty',
    measure: '公示期内作为信用风险分类的扣分因素，相应提高抽查比例和频次',
    source:
      '国家市场监督管理总局关于推进企业信用风险分类管理进一步提升监管效能的意见（国市监信发〔2022〕6号）',
    inForceFrom: '2022-01-13',
    inForceUntil: null,
  },
];

/** The measures in force on `date` for one target (or all). */
export function measuresInForce(
  date: string,
  target?: MeasureTarget,
  measures: readonly DishonestyMeasure[] = DISHONESTY_MEASURES,
): DishonestyMeasure[] {
  return measures.filter(
    (m) =>
      (!target || m.target === target) &&
      m.inForceFrom <= date &&
      (m.inForceUntil === null || date <= m.inForceUntil),
  );
}
