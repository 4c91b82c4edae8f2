/**
 * Lenient enforcement (包容审慎监管; 行政处罚法 第三十二条、第三十三条; domain.md 5.5) as dated data:
 * the district's published lists of matters where a violation is not punished (不予处罚), where a
 * first violation is not punished (首违不罚), where the penalty is mitigated (减轻) or lighter (从轻),
 * and where no compulsory measure is taken (不予实施行政强制措施清单). Each entry has its dates of
 * force and its source document; a revised list is a new entry with a new code (the old one gets
 * its end date), never an edit, so a decision always names the entry in force on its date.
 * Pure: no framework, no clock.
 *
 * The entries are a representative excerpt of the Shanghai market-supervision lists (the matter,
 * its legal basis and the conditions as the lists phrase them); the bureau completes them from the
 * published text, each revision as new entries with their dates of force. An entry cites the laws
 * in force during its own dates: when a law it cites is replaced, the entry ends the day before and
 * a new entry cites the new law (lenient-lists.spec.ts checks the laws whose dates it knows).
 */

/** Which list an entry belongs to. */
export const LENIENT_LISTS = [
  'no_penalty', // 不予行政处罚（轻微违法）: 行政处罚法 第三十三条第一款第一句
  'first_offence', // 首违不罚: 第三十三条第一款第二句
  'mitigated', // 减轻行政处罚: 第三十二条
  'lighter', // 从轻行政处罚: 第三十二条
  'no_compulsory_measure', // 不予实施行政强制措施: 行政强制法 第十六条第二款
] as const;
export type LenientList = (typeof LENIENT_LISTS)[number];

export const LENIENT_LIST_LABELS: Record<LenientList, string> = {
  no_penalty: '不予行政处罚清单',
  first_offence: '首违不罚清单',
  mitigated: '减轻行政处罚清单',
  lighter: '从轻行政处罚清单',
  no_compulsory_measure: '不予实施行政强制措施清单',
};

/** One matter of a list. */
export interface LenientMatter {
  /** stable code, e.g. SH-NP-2019-01 */
  code: string;
  list: LenientList;
  /** the violation, as the list names it */
  matter: string;
  /** the provision violated and the provision applied */
  legalBasis: string;
  /** the conditions the list sets (all must hold) */
  conditions: string[];
  /** first and last decision date it applies to (YYYY-MM-DD, inclusive; null: open) */
  inForceFrom: string;
  inForceUntil: string | null;
  /** the published document it comes from */
  source: string;
}

const MIANFA_2019 =
  '市场轻微违法违规经营行为免罚清单（上海市司法局、上海市市场监督管理局等，2019年3月15日起施行）';
const MIANFA_2021 = '上海市市场监管领域轻微违法行为依法不予行政处罚清单（2021年修订，2021年7月15日起施行）';
const CAILIANG_2022 = '上海市市场监督管理行政处罚裁量基准适用规定（2022年）';
const QIANGZHI_2021 = '上海市市场监管领域不予实施行政强制措施清单（2021年）';
/** The licence on display before 2022-03-01 (公司登记管理条例, 2016 revision; repealed by 市场主体登记管理条例). */
const COMPANY_REGISTRATION_LICENCE = '《中华人民共和国公司登记管理条例》第五十八条第三款、第七十二条';

/** The lists, by code. */
export const LENIENT_MATTERS: readonly LenientMatter[] = [
  {
    code: 'SH-NP-2019-01',
    list: 'no_penalty',
    matter: '未将营业执照置于住所或者主要经营场所的醒目位置',
    legalBasis: COMPANY_REGISTRATION_LICENCE,
    conditions: ['初次违法', '危害后果轻微', '在责令改正期限内改正'],
    inForceFrom: '2019-03-15',
    inForceUntil: '2021-07-14',
    source: MIANFA_2019,
  },
  {
    code: 'SH-NP-2021-01',
    list: 'no_penalty',
    matter: '未将营业执照置于住所或者主要经营场所的醒目位置',
    legalBasis: COMPANY_REGISTRATION_LICENCE,
    conditions: ['违法行为轻微', '及时改正', '没有造成危害后果'],
    inForceFrom: '2021-07-15',
    // 公司登记管理条例 was repealed when 市场主体登记管理条例 took effect (2022-03-01)
    inForceUntil: '2022-02-28',
    source: MIANFA_2021,
  },
  {
    code: 'SH-NP-2022-01',
    list: 'no_penalty',
    matter: '未将营业执照置于住所或者主要经营场所的醒目位置',
    legalBasis: '《中华人民共和国市场主体登记管理条例》第三十六条、第四十八条',
    conditions: ['违法行为轻微', '及时改正', '没有造成危害后果'],
    inForceFrom: '2022-03-01',
    inForceUntil: null,
    source: MIANFA_2021,
  },
  {
    code: 'SH-NP-2021-02',
    list: 'no_penalty',
    matter: '电子商务经营者未在首页显著位置持续公示营业执照信息、行政许可信息',
    legalBasis: '《中华人民共和国电子商务法》第十五条、第七十六条',
    conditions: ['违法行为轻微', '及时改正', '没有造成危害后果'],
    inForceFrom: '2021-07-15',
    inForceUntil: null,
    source: MIANFA_2021,
  },
  {
    code: 'SH-FO-2021-01',
    list: 'first_offence',
    matter: '广告中使用“国家级”“最高级”“最佳”等绝对化用语',
    legalBasis: '《中华人民共和国广告法》第九条第三项、第五十七条',
    conditions: ['首次违法', '危害后果轻微', '及时改正', '广告发布范围小、时间短'],
    inForceFrom: '2021-07-15',
    inForceUntil: null,
    source: MIANFA_2021,
  },
  {
    code: 'SH-FO-2021-02',
    list: 'first_offence',
    matter: '食品经营者未按规定在经营场所显著位置悬挂或者摆放食品经营许可证',
    legalBasis:
      '《食品经营许可管理办法》（原国家食品药品监督管理总局令第17号，2015年）第二十六条第一款、第五十条',
    conditions: ['首次违法', '危害后果轻微', '及时改正'],
    inForceFrom: '2021-07-15',
    // replaced by 食品经营许可和备案管理办法 from 2023-12-01
    inForceUntil: '2023-11-30',
    source: MIANFA_2021,
  },
  {
    code: 'SH-FO-2023-01',
    list: 'first_offence',
    matter: '食品经营者未按规定在经营场所显著位置悬挂或者摆放食品经营许可证',
    legalBasis: '《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）（条款以正式文本为准）',
    conditions: ['首次违法', '危害后果轻微', '及时改正'],
    inForceFrom: '2023-12-01',
    inForceUntil: null,
    source: MIANFA_2021,
  },
  {
    code: 'SH-FO-2021-03',
    list: 'first_offence',
    matter: '经营者销售商品未按规定明码标价',
    legalBasis: '《中华人民共和国价格法》第十三条、第四十二条；《关于商品和服务实行明码标价的规定》',
    conditions: ['首次违法', '危害后果轻微', '及时改正'],
    inForceFrom: '2021-07-15',
    // replaced by 明码标价和禁止价格欺诈规定 from 2022-07-01
    inForceUntil: '2022-06-30',
    source: MIANFA_2021,
  },
  {
    code: 'SH-FO-2022-01',
    list: 'first_offence',
    matter: '经营者销售商品未按规定明码标价',
    legalBasis:
      '《明码标价和禁止价格欺诈规定》（国家市场监督管理总局令第56号）第二十一条；《中华人民共和国价格法》第四十二条',
    conditions: ['首次违法', '危害后果轻微', '及时改正'],
    inForceFrom: '2022-07-01',
    inForceUntil: null,
    source: MIANFA_2021,
  },
  {
    code: 'SH-MT-2022-01',
    list: 'mitigated',
    matter: '主动消除或者减轻违法行为危害后果',
    legalBasis: '《中华人民共和国行政处罚法》第三十二条第一项',
    conditions: ['在案件调查终结前主动消除或者减轻危害后果'],
    inForceFrom: '2022-01-01',
    inForceUntil: null,
    source: CAILIANG_2022,
  },
  {
    code: 'SH-MT-2022-02',
    list: 'mitigated',
    matter: '配合行政机关查处违法行为有立功表现',
    legalBasis: '《中华人民共和国行政处罚法》第三十二条第四项',
    conditions: ['提供线索经查证属实', '对查处其他违法行为起到重要作用'],
    inForceFrom: '2022-01-01',
    inForceUntil: null,
    source: CAILIANG_2022,
  },
  {
    code: 'SH-LT-2022-01',
    list: 'lighter',
    matter: '主动供述行政机关尚未掌握的违法行为',
    legalBasis: '《中华人民共和国行政处罚法》第三十二条第三项',
    conditions: ['在行政机关掌握之前主动供述'],
    inForceFrom: '2022-01-01',
    inForceUntil: null,
    source: CAILIANG_2022,
  },
  {
    code: 'SH-LT-2022-02',
    list: 'lighter',
    matter: '受他人胁迫或者诱骗实施违法行为',
    legalBasis: '《中华人民共和国行政处罚法》第三十二条第二项',
    conditions: ['有证据证明受胁迫或者诱骗'],
    inForceFrom: '2022-01-01',
    inForceUntil: null,
    source: CAILIANG_2022,
  },
  {
    code: 'SH-NC-2021-01',
    list: 'no_compulsory_measure',
    matter: '经营者能够提供商品合法来源证明、违法行为轻微且不存在转移隐匿证据可能的，不予查封、扣押',
    legalBasis: '《中华人民共和国行政强制法》第十六条第二款',
    conditions: [
      '违法行为情节显著轻微或者没有明显社会危害',
      '能够提供合法来源证明',
      '不存在转移、隐匿、销毁证据的可能',
    ],
    inForceFrom: '2021-07-15',
    inForceUntil: null,
    source: QIANGZHI_2021,
  },
  {
    code: 'SH-NC-2021-02',
    list: 'no_compulsory_measure',
    matter: '食品经营者经营标签瑕疵食品，不影响食品安全且不会对消费者造成误导的，不予扣押',
    legalBasis:
      '《中华人民共和国食品安全法》第一百二十五条第二款；《中华人民共和国行政强制法》第十六条第二款',
    conditions: ['标签、说明书瑕疵不影响食品安全', '不会对消费者造成误导'],
    inForceFrom: '2021-07-15',
    inForceUntil: null,
    source: QIANGZHI_2021,
  },
];

/** The lists in force on `date` (YYYY-MM-DD), optionally one list only. */
export function lenientMattersInForce(
  date: string,
  list?: LenientList,
  matters: readonly LenientMatter[] = LENIENT_MATTERS,
): LenientMatter[] {
  return matters.filter(
    (m) =>
      (!list || m.list === list) &&
      m.inForceFrom <= date &&
      (m.inForceUntil === null || date <= m.inForceUntil),
  );
}

/**
 * Why `code` cannot support a decision of `outcome` on `date`, or null when it can: it must be a
 * known code, of the outcome's own list, in force on the decision date.
 */
export function lenientMatterProblem(
  code: string,
  outcome: 'no_penalty' | 'first_offence' | 'mitigated' | 'lighter',
  date: string,
  matters: readonly LenientMatter[] = LENIENT_MATTERS,
): string | null {
  const m = matters.find((x) => x.code === code);
  if (!m) return `“${code}”不是包容审慎监管清单中的事项编号`;
  if (m.list !== outcome)
    return `“${code}”属于${LENIENT_LIST_LABELS[m.list]}，不是${LENIENT_LIST_LABELS[outcome]}的事项`;
  if (m.inForceFrom > date || (m.inForceUntil !== null && date > m.inForceUntil))
    return `“${code}”在决定日期${date}不在施行期内（${m.inForceFrom}至${m.inForceUntil ?? '今'}）`;
  return null;
}
