/**
 * Which bodies the district market-supervision bureau keeps in its register, by the first two
 * characters of their USCC: position 1 the registration authority (登记管理部门), position 2 the
 * entity type (机构类别) under it. Pure table; codes and names from GB 32100-2015 appendix A and
 * the codes assigned to further authorities since (外交, 司法行政, 文化, 旅游, 宗教, 工会, 军队,
 * 农业). See docs/import-formats.md.
 *
 * Choices:
 * - kept: authority 9 (工商, now market regulation): 91 enterprises, 92 sole traders, 93 farmers'
 *   cooperatives: the market entities the bureau registers and supervises;
 * - kept: 52 民办非企业单位 (private non-enterprise units, registered by civil affairs): private
 *   training schools and the like sell prepaid courses and fall under the bureau's prepaid-card
 *   and consumer-protection supervision (上海市单用途预付消费卡管理规定);
 * - refused: everything else. Authority 1 (机构编制: organs of state, public institutions), the
 *   other civil-affairs bodies (51 social organisations, 53 foundations), law firms and notaries
 *   (3x), religious sites (7x), trade unions (8x), the army (Ax), village collectives (Nx) and
 *   foreign or cultural bodies are supervised by their own authorities, never by this register.
 *   A resident ID number (its first digit a province code 1-6) can pass both USCC check
 *   characters: this rule is what refuses it.
 */

export interface EntityClass {
  /** the two characters, e.g. '91' */
  prefix: string;
  /** 登记管理部门 */
  authority: string;
  /** 机构类别 */
  type: string;
  /** true when the district register keeps such bodies */
  kept: boolean;
}

const row = (prefix: string, authority: string, type: string, kept = false): EntityClass => ({
  prefix,
  authority,
  type,
  kept,
});

/** GB 32100-2015 positions 1-2, every assigned pair. */
export const ENTITY_CLASSES: readonly EntityClass[] = [
  row('11', '机构编制', '机关'),
  row('12', '机构编制', '事业单位'),
  row('13', '机构编制', '中央编办直接管理机构编制的群众团体'),
  row('19', '机构编制', '其他'),
  row('21', '外交', '外国常驻新闻机构'),
  row('29', '外交', '其他'),
  row('31', '司法行政', '律师执业机构'),
  row('32', '司法行政', '公证处'),
  row('33', '司法行政', '基层法律服务所'),
  row('34', '司法行政', '司法鉴定机构'),
  row('35', '司法行政', '仲裁委员会'),
  row('39', '司法行政', '其他'),
  row('41', '文化', '外国在华文化中心'),
  row('49', '文化', '其他'),
  row('51', '民政', '社会团体'),
  row('52', '民政', '民办非企业单位', true),
  row('53', '民政', '基金会'),
  row('59', '民政', '其他'),
  row('61', '旅游', '外国旅游部门常驻代表机构'),
  row('62', '旅游', '港澳台地区旅游部门常驻内地（大陆）代表机构'),
  row('69', '旅游', '其他'),
  row('71', '宗教', '宗教活动场所'),
  row('72', '宗教', '宗教院校'),
  row('79', '宗教', '其他'),
  row('81', '工会', '基层工会'),
  row('89', '工会', '其他'),
  row('91', '工商 (市场监管)', '企业', true),
  row('92', '工商 (市场监管)', '个体工商户', true),
  row('93', '工商 (市场监管)', '农民专业合作社', true),
  row('A1', '中央军委改革和编制办公室', '军队事业单位'),
  row('A9', '中央军委改革和编制办公室', '其他'),
  row('N1', '农业', '组级集体经济组织'),
  row('N2', '农业', '村级集体经济组织'),
  row('N3', '农业', '乡镇级集体经济组织'),
  row('N9', '农业', '其他'),
  row('Y1', '其他', '其他'),
];

const byPrefix = new Map(ENTITY_CLASSES.map((c) => [c.prefix, c]));

/** The class of a USCC (its first two characters), or undefined when the pair is not assigned. */
export function entityClassOf(uscc: string): EntityClass | undefined {
  return byPrefix.get(uscc.slice(0, 2));
}

/**
 * Why the register refuses a (valid) USCC by its positions 1-2, or undefined when it keeps it.
 * @returns a reason naming the pair and what kind of body it is
 */
export function registerRefusesClass(uscc: string): string | undefined {
  const prefix = uscc.slice(0, 2);
  const c = byPrefix.get(prefix);
  if (!c)
    return `USCC positions 1-2: '${prefix}' is no registration authority and entity type of GB 32100-2015`;
  if (c.kept) return undefined;
  const kept = ENTITY_CLASSES.filter((k) => k.kept)
    .map((k) => k.prefix)
    .join(', ');
  return `USCC positions 1-2: '${prefix}' is a ${c.type} registered by ${c.authority}, which the market-supervision register does not keep (it keeps ${kept})`;
}
