import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import seedrandom from 'seedrandom';
import { isIsoDate } from '../common/clock.js';
import { USCC_ALPHABET, buildUscc } from '../common/uscc.js';

/**
 * Synthetic demo data: a register of enterprises in one district (Yangpu by default) and their
 * credit records, written as the two CSV files the importers read (docs/import-formats.md).
 *
 * Built for volume: one pass over the enterprises, lines built by string concatenation, encoded
 * into 1 MB chunks and written to two write streams with backpressure, so memory stays flat for a
 * million enterprises and five million records (about 1M rows/s on a 2-core machine). Deterministic: every random choice comes from one
 * `seedrandom(seed)` generator consumed in a fixed order; nothing reads the clock.
 */

export interface DemoOptions {
  /** number of enterprises in register.csv (0 .. 31^6) */
  enterprises: number;
  /** average number of credit records per enterprise, e.g. 5 (the spread is uneven on purpose) */
  recordsPerEnterprise: number;
  /** seed for `seedrandom`: the same options give byte-identical files */
  seed: string;
  /** YYYY-MM-DD, not before 2003-01-01: records are dated within the 3 years up to and including it */
  asOf: string;
  /** administrative division (GB/T 2260, 6 digits) of every enterprise; default '310110' (Yangpu) */
  division?: string;
}

export interface DemoFiles {
  /** path of register.csv */
  registerFile: string;
  /** path of records.csv */
  recordsFile: string;
  /** rows written to register.csv (header excluded) */
  enterprises: number;
  /** rows written to records.csv (header excluded) */
  records: number;
}

export const REGISTER_HEADER =
  'uscc,name,entity_type,industry_code,division_code,street,address,established_on,status,prepaid_issuer,registered_capital_fen';
export const RECORDS_HEADER =
  'uscc,kind,record_date,source_department,valid_until,decision_no,procedure,penalty_types,fine_fen,list_type,' +
  'listing_reason,listed_on,removed_on,channel,subject,outcome,amount_fen,case_type,change_item,source_system,source_key';

/** Registered particulars a generated registration change touches, the key ones most often. */
const CHANGE_CHOICES = [
  'legal_representative',
  'address',
  'registered_capital',
  'shareholders',
  'business_scope',
  'address',
  'legal_representative',
  'name',
] as const;

/**
 * Math functions held in module constants: inside a vm context (Jest) every global lookup such as
 * `Math` goes through the context's global object and halves the speed of the generation loop.
 */
const { floor, exp, log, max, min } = Math;

/** Bytes per chunk handed to a stream. */
const CHUNK_BYTES = 1 << 20;
/** Stream buffer: a few chunks may queue, so generating overlaps with the disk writes. */
const STREAM_HIGH_WATER = 4 * CHUNK_BYTES;
const MAX_ENTERPRISES = 31 ** 6;

// ---------------------------------------------------------------------------------------------
// Vocabulary

const TRADE_CHARS = '鑫华盛恒瑞泰博达宏信安康佳美顺丰源润锦嘉誉昌隆祥和新德益通汇景创优致越合森晟弘骏';

interface Industry {
  word: string; // in company names
  shop: string; // sole-trader name ending
  code: string; // GB/T 4754-2017
  weight: number;
  prepaid: boolean; // sells prepaid cards (预付卡) in most cases
  food: boolean;
}

const INDUSTRIES: readonly Industry[] = [
  { word: '健身', shop: '健身房', code: 'R8930', weight: 6, prepaid: true, food: false }, // 健身休闲活动
  { word: '美容美发', shop: '美发店', code: 'O8040', weight: 10, prepaid: true, food: false }, // 理发及美容服务
  { word: '餐饮', shop: '餐馆', code: 'H6210', weight: 20, prepaid: false, food: true }, // 正餐服务
  { word: '食品销售', shop: '食品店', code: 'F5229', weight: 14, prepaid: false, food: true }, // 其他食品零售
  { word: '电子科技', shop: '电子产品经营部', code: 'I6510', weight: 12, prepaid: false, food: false }, // 软件开发
  { word: '建材', shop: '建材经营部', code: 'F5165', weight: 6, prepaid: false, food: false }, // 建材批发
  { word: '教育培训', shop: '培训部', code: 'P8391', weight: 8, prepaid: true, food: false }, // 职业技能培训
  { word: '洗衣', shop: '洗衣店', code: 'O8030', weight: 4, prepaid: true, food: false }, // 洗染服务
  { word: '零售', shop: '便利店', code: 'F5299', weight: 14, prepaid: false, food: false }, // 其他未列明零售业
  { word: '物流', shop: '物流服务部', code: 'G5821', weight: 6, prepaid: false, food: false }, // 货物运输代理
];

const STREETS = [
  '定海路街道',
  '平凉路街道',
  '江浦路街道',
  '四平路街道',
  '控江路街道',
  '长白新村街道',
  '延吉新村街道',
  '殷行街道',
  '大桥街道',
  '五角场街道',
  '新江湾城街道',
  '长海路街道',
];
const ROADS = [
  '国定',
  '政通',
  '淞沪',
  '黄兴',
  '控江',
  '平凉',
  '杨树浦',
  '长阳',
  '大连',
  '四平',
  '邯郸',
  '国权',
  '军工',
  '周家嘴',
  '隆昌',
  '延吉中',
  '殷行',
  '民京',
  '翔殷',
  '江浦',
];

const D_SAMR = '杨浦区市场监督管理局';
const D_HEALTH = '杨浦区卫生健康委员会';
const D_FIRE = '杨浦区消防救援支队';
const D_TAX = '杨浦区税务局';
const D_COURT = '杨浦区人民法院';
/** Penalising departments and their decision-number prefixes (the year and number follow). */
const PENALTY_DEPTS = [D_SAMR, D_HEALTH, D_FIRE];
const DECISION_PREFIX = ['沪市监杨处〔', '杨卫健罚〔', '杨消行罚决字〔'];

const ANOMALY_REASONS = [
  '未按规定报送年度报告',
  '未按规定报送年度报告',
  '未按规定报送年度报告',
  '通过登记的住所无法联系',
  '通过登记的住所无法联系',
  '未按规定公示即时信息',
  '公示信息隐瞒真实情况弄虚作假',
];
const SERIOUS_REASONS = [
  '列入经营异常名录届满3年仍未履行相关义务',
  '提交虚假材料取得市场主体登记',
  '因食品安全违法行为受到较重行政处罚',
];
const GENERIC_COMPLAINTS = ['价格欺诈', '虚假宣传', '产品质量问题', '服务质量纠纷', '合同纠纷'];
const REFERRAL_SUBJECTS = ['无证经营线索', '占道经营', '涉嫌销售假冒商品', '消防安全隐患', '噪声扰民'];

// ---------------------------------------------------------------------------------------------
// Kinds, weighted by risk

const KINDS = [
  'administrative_penalty',
  'listing',
  'complaint',
  'referral',
  'inspection_result',
  'product_spot_check',
  'unpaid_tax',
  'judgment_defaulter',
  'judicial_case',
  'commendation',
] as const;
const K_PENALTY = 0,
  K_LISTING = 1,
  K_COMPLAINT = 2,
  K_REFERRAL = 3,
  K_INSPECTION = 4;
const K_SPOT = 5,
  K_TAX = 6,
  K_DEFAULTER = 7,
  K_JUDICIAL = 8,
  K_COMMENDATION = 9;
/** Share in percent of each kind over all records, before risk weighting. */
const BASE_SHARE = [12, 8, 30, 5, 30, 5, 2, 1, 3, 4];
/** How strongly a kind follows risk: 1 = rises with risk, 0.5 = half as much, 0 = flat, -1 = falls. */
const RISK_SLOPE = [1, 1, 0.5, 1, 0, 0, 1, 1, 0.5, -1];

const BUCKETS = 16;
/**
 * Per risk bucket, cumulative probabilities of the ten kinds. Risk r (0..1) scales a rising kind by
 * 0.2 + 1.6 r: records cluster on risky enterprises (record-weighted mean r ~ 0.5), so the overall
 * mix stays near BASE_SHARE while risky enterprises get more negative kinds.
 */
const KIND_CUMULATIVE: Float64Array[] = Array.from({ length: BUCKETS }, (_, b) => {
  const r = (b + 0.5) / BUCKETS;
  const w = BASE_SHARE.map((s, k) => s * max(0.05, 1 + RISK_SLOPE[k]! * (1.6 * r - 0.8)));
  const total = w.reduce((a, x) => a + x, 0);
  const cum = new Float64Array(w.length);
  let acc = 0;
  w.forEach((x, k) => (cum[k] = acc += x / total));
  cum[w.length - 1] = 1;
  return cum;
});

/** Writes days since 1970-01-01 (UTC) as YYYY-MM-DD. */
function dayString(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
function dayNumber(iso: string): number {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
}

/** C[n]: n commas (n empty fields when building the 14 columns after source_department). */
const C = Array.from({ length: 15 }, (_, n) => ','.repeat(n));

/** Log-uniform integer in [lo, hi], rounded down to a multiple of `step`. */
function logUniform(u: number, lo: number, hi: number, step: number): number {
  const v = exp(log(lo) + u * (log(hi) - log(lo)));
  return max(lo, floor(v / step) * step);
}

/**
 * A chunked writer over one file: text is UTF-8 encoded straight into a 1 MB buffer, which goes to
 * the stream when the next text might not fit (a fresh buffer is taken then, as the stream may
 * still hold the old one). Encoding a few lines at a time avoids long concatenated strings, whose
 * flattening would dominate the run time.
 */
class ChunkedFile {
  readonly stream: WriteStream;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: STREAM_HIGH_WATER });
    this.stream.on('error', () => undefined); // surfaced by flush() / close() instead
  }
  /** True when `text` surely fits in the current chunk (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  fits(text: string): boolean {
    return this.pos + 3 * text.length <= CHUNK_BYTES;
  }
  /** Appends text that fits (see fits()). */
  add(text: string): void {
    this.pos += this.chunk.write(text, this.pos);
  }
  /** Appends any text: flushes first when it might not fit; text longer than a chunk goes alone. */
  async put(text: string): Promise<void> {
    if (this.fits(text)) return this.add(text);
    await this.flush();
    if (this.fits(text)) return this.add(text);
    await this.send(Buffer.from(text, 'utf8'));
  }
  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const full = this.chunk.subarray(0, this.pos);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    await this.send(full);
  }
  private async send(data: Buffer): Promise<void> {
    const s = this.stream;
    if (s.destroyed) throw s.errored ?? new Error(`${this.path}: stream closed`);
    if (!s.write(data)) await once(s, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/**
 * Writes `register.csv` and `records.csv` (UTF-8, no BOM, LF line ends) into `dir`, creating it if
 * missing and replacing existing files.
 *
 * register.csv: `uscc,name,entity_type,industry_code,division_code,street,address,established_on,status,prepaid_issuer,registered_capital_fen`,
 * one row per enterprise with a valid, unique USCC ('91' + division + 'MA' + the row index in
 * base 31), a plausible Chinese name, GB/T 4754 industry code, a Yangpu street and address, an
 * establishment date in 2000-01-01..asOf, status (mostly active), prepaid_issuer true/false, and
 * for companies a registered capital of 10,000 to 50 million yuan in fen (log-uniform; empty for
 * sole traders and branches).
 *
 * records.csv: the credit-record columns (see RECORDS_HEADER), about enterprises *
 * recordsPerEnterprise rows spread unevenly (each enterprise draws a risk propensity; risky ones
 * get many records, mostly negative ones). Dates are YYYY-MM-DD within [asOf - 3 years, asOf] and
 * never before the enterprise's establishment; amounts (fine_fen, amount_fen) are whole fen
 * (1 yuan = 100 fen); penalty_types are separated by ';'; valid_until is left empty;
 * source_system is `demo` and source_key `<uscc>-<n>` is unique. Companies also get registration
 * changes (kind `registration_change`, `change_item` set, key `<uscc>-c<n>`), more of them for risky
 * ones; capital and changes draw from a second seeded stream, so the other rows are as before. No value contains a comma or a
 * quote, so nothing is quoted.
 *
 * @returns the two paths and the row counts written
 * @throws RangeError for invalid options (counts, asOf, division)
 */
export async function writeDemoCsv(dir: string, opts: DemoOptions): Promise<DemoFiles> {
  const n = opts.enterprises;
  const perEnterprise = opts.recordsPerEnterprise;
  const division = opts.division ?? '310110';
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_ENTERPRISES) {
    throw new RangeError(`enterprises must be a whole number 0..${MAX_ENTERPRISES}, got ${n}`);
  }
  if (!Number.isFinite(perEnterprise) || perEnterprise < 0) {
    throw new RangeError(`recordsPerEnterprise must be >= 0, got ${perEnterprise}`);
  }
  if (!/^[0-9]{6}$/.test(division)) throw new RangeError(`division must be 6 digits, got '${division}'`);
  if (!isIsoDate(opts.asOf) || opts.asOf < '2003-01-01') {
    throw new RangeError(`asOf must be a date YYYY-MM-DD not before 2003-01-01, got '${opts.asOf}'`);
  }

  // Date table: every day from 2000-01-01 to asOf, as strings, indexed from 0.
  const firstDay = dayNumber('2000-01-01');
  const asOfIdx = dayNumber(opts.asOf) - firstDay;
  const asOfYear = +opts.asOf.slice(0, 4);
  // asOf - 3 years (29 February falls back to 1 March, as Date.UTC rolls over).
  const windowStart =
    Date.UTC(asOfYear - 3, +opts.asOf.slice(5, 7) - 1, +opts.asOf.slice(8, 10)) / 86_400_000 - firstDay;
  const days: string[] = new Array(asOfIdx + 1);
  const years: number[] = new Array(asOfIdx + 1);
  for (let i = 0; i <= asOfIdx; i++) {
    days[i] = dayString(firstDay + i);
    years[i] = +days[i]!.slice(0, 4);
  }

  // Industry choice: cumulative weights.
  const industryCum: number[] = [];
  {
    const total = INDUSTRIES.reduce((a, x) => a + x.weight, 0);
    let acc = 0;
    for (const ind of INDUSTRIES) industryCum.push((acc += ind.weight / total));
    industryCum[industryCum.length - 1] = 1;
  }
  const nIndustries = INDUSTRIES.length;
  const industryTail = INDUSTRIES.map(
    (x) => `,${x.code},${division},`, // after the name and entity type
  );

  // Decision numbers: a running counter per department and year, so each number is unique.
  const decisionCounter = new Int32Array(PENALTY_DEPTS.length * (asOfYear - 1999));

  await mkdir(dir, { recursive: true });
  const register = new ChunkedFile(join(dir, 'register.csv'));
  const records = new ChunkedFile(join(dir, 'records.csv'));
  register.add(REGISTER_HEADER + '\n');
  records.add(RECORDS_HEADER + '\n');

  const rng = seedrandom(opts.seed);
  const rand = () => rng.quick();
  // registered capital and registration changes draw from a stream of their own, so the rest of
  // the data is the same as before they were generated
  const sideRng = seedrandom(opts.seed + '|capital-and-changes');
  const side = () => sideRng.quick();
  const tc = TRADE_CHARS.length;
  const divisionPrefix = division;
  let recordCount = 0;

  try {
    for (let e = 0; e < n; e++) {
      // --- USCC: 'MA' + index in base 31, 6 symbols.
      let body = '';
      for (let i = 0, x = e; i < 6; i++, x = floor(x / 31)) body = USCC_ALPHABET[x % 31] + body;
      const uscc = buildUscc('91', divisionPrefix, 'MA' + body);

      // --- Risk propensity: r = u^3 (mostly low, a risky minority).
      const u = rand();
      const risk = u * u * u;
      const bucket = min(BUCKETS - 1, floor(risk * BUCKETS));

      // --- Register row.
      const iu = rand();
      let ind = 0;
      while (ind < nIndustries - 1 && iu >= industryCum[ind]!) ind++;
      const industry = INDUSTRIES[ind]!;
      const trade = TRADE_CHARS[floor(rand() * tc)]! + TRADE_CHARS[floor(rand() * tc)]!;
      const tu = rand();
      let name: string, entityType: string;
      if (tu < 0.2) {
        entityType = 'sole_trader';
        name = '上海市杨浦区' + trade + industry.shop;
      } else if (tu < 0.23) {
        entityType = 'branch';
        name = '上海' + trade + industry.word + '有限公司杨浦分公司';
      } else {
        entityType = 'company';
        name = '上海' + trade + industry.word + '有限公司';
      }
      const established = floor(rand() * (asOfIdx + 1));
      const su = rand();
      // ~3% deregistered; ~1% revoked, concentrated on risky enterprises (E[4 r] = 1).
      const status = su < 0.03 ? 'deregistered' : su < 0.03 + 0.04 * risk * 0.97 ? 'revoked' : 'active';
      const prepaid = industry.prepaid && rand() < 0.8 ? 'true' : 'false';
      const line =
        uscc +
        ',' +
        name +
        ',' +
        entityType +
        industryTail[ind] +
        STREETS[floor(rand() * STREETS.length)] +
        ',上海市杨浦区' +
        ROADS[floor(rand() * ROADS.length)] +
        '路' +
        (1 + floor(rand() * 1200)) +
        '号,' +
        days[established] +
        ',' +
        status +
        ',' +
        prepaid +
        ',' +
        // companies: 10,000 to 50 million yuan, log-uniform, whole hundreds of yuan; others none
        (entityType === 'company' ? '' + logUniform(side(), 1_000_000, 5_000_000_000, 10_000) : '') +
        '\n';
      if (register.fits(line)) register.add(line);
      else await register.put(line);

      // --- Records: count with mean perEnterprise * (0.2 + 3.2 r) (E = perEnterprise), uniform
      // spread around it, stochastic rounding.
      const mean = perEnterprise * (0.2 + 3.2 * risk);
      const count = floor(2 * mean * rand() + rand());
      if (count > 0) {
        const lo = established > windowStart ? established : windowStart;
        const span = asOfIdx - lo + 1;
        const cum = KIND_CUMULATIVE[bucket]!;
        const rb = (bucket + 0.5) / BUCKETS;
        const prefix = uscc + ',';
        let lines = ''; // this enterprise's records, written at once
        for (let k = 1; k <= count; k++) {
          const ku = rand();
          let kind = 0;
          while (kind < 9 && ku >= cum[kind]!) kind++;
          const dIdx = lo + floor(rand() * span);
          const date = days[dIdx]!;
          // `rest` holds the 14 columns valid_until..case_type, each preceded by its comma.
          let dept: string;
          let rest: string;
          switch (kind) {
            case K_PENALTY: {
              const du = rand();
              const di = du < 0.8 ? 0 : du < 0.9 ? 1 : 2;
              dept = PENALTY_DEPTS[di]!;
              const year = years[dIdx]!;
              const ci = di * (asOfYear - 1999) + (year - 2000);
              const decision = DECISION_PREFIX[di] + year + '〕' + ++decisionCounter[ci] + '号';
              const pu = rand();
              let procedure: string, types: string, fine: string;
              if (pu < 0.15) {
                // 简易程序: a warning or a small fine (at most 3000 yuan for an organisation).
                procedure = 'summary';
                if (rand() < 0.5) {
                  types = 'warning';
                  fine = '';
                } else {
                  types = 'fine';
                  fine = '' + logUniform(rand(), 5_000, 300_000, 100);
                }
              } else {
                procedure = 'general';
                const tu2 = rand();
                const severe = 0.02 + 0.1 * rb; // production suspension / licence revocation
                if (tu2 < severe * 0.6) types = 'fine;production_suspension';
                else if (tu2 < severe) types = 'licence_revocation';
                else if (tu2 < severe + 0.4) types = 'fine';
                else if (tu2 < severe + 0.55) types = 'warning';
                else if (tu2 < severe + 0.75) types = 'fine;confiscation';
                else types = 'warning;fine';
                fine = types.includes('fine') ? '' + logUniform(rand(), 200_000, 50_000_000, 10_000) : '';
              }
              rest = C[2] + decision + ',' + procedure + ',' + types + ',' + fine + C[9];
              break;
            }
            case K_LISTING: {
              dept = D_SAMR;
              const serious = rand() < 0.01 + 0.04 * rb;
              const reason = serious
                ? SERIOUS_REASONS[floor(rand() * SERIOUS_REASONS.length)]
                : ANOMALY_REASONS[floor(rand() * ANOMALY_REASONS.length)];
              let removed = '';
              if (dIdx < asOfIdx && rand() < 0.4)
                removed = days[dIdx + 1 + floor(rand() * (asOfIdx - dIdx))]!;
              rest =
                C[6] + (serious ? 'serious' : 'anomaly') + ',' + reason + ',' + date + ',' + removed + C[5];
              break;
            }
            case K_COMPLAINT: {
              dept = D_SAMR;
              const cu = rand();
              const channel = cu < 0.55 ? '12315' : cu < 0.9 ? '12345' : '来信来访';
              const su2 = rand();
              const subject =
                industry.prepaid && su2 < 0.5
                  ? '预付卡退费纠纷'
                  : industry.food && su2 < 0.4
                    ? '食品安全'
                    : GENERIC_COMPLAINTS[floor(rand() * GENERIC_COMPLAINTS.length)];
              rest = C[10] + channel + ',' + subject + C[3];
              break;
            }
            case K_REFERRAL: {
              dept = D_SAMR;
              const channel = rand() < 0.7 ? '区城运中心' : '公安机关';
              rest =
                C[10] + channel + ',' + REFERRAL_SUBJECTS[floor(rand() * REFERRAL_SUBJECTS.length)] + C[3];
              break;
            }
            case K_INSPECTION: {
              const du = rand();
              dept = du < 0.6 ? D_SAMR : du < 0.8 ? (industry.food ? D_HEALTH : D_SAMR) : D_FIRE;
              // ~70% no problem, ~27% problems found, ~3% refused on average; worse with risk.
              const ou = rand();
              const refused = 0.005 + 0.05 * rb;
              const outcome =
                ou < refused ? 'refused' : ou < refused + 0.08 + 0.38 * rb ? 'problems_found' : 'no_problem';
              rest = C[12] + outcome + C[2];
              break;
            }
            case K_SPOT:
              dept = D_SAMR;
              rest = C[12] + (rand() < 0.04 + 0.22 * rb ? 'failed' : 'passed') + C[2];
              break;
            case K_TAX:
              dept = D_TAX;
              rest = C[13] + logUniform(rand(), 10_000, 100_000_000, 1) + C[1];
              break;
            case K_DEFAULTER:
              dept = D_COURT;
              rest = C[14];
              break;
            case K_JUDICIAL: {
              dept = D_COURT;
              const ju = rand();
              rest = C[14] + (ju < 0.4 ? 'enforcement' : ju < 0.85 ? 'judgment' : 'announcement');
              break;
            }
            case K_COMMENDATION:
            default: {
              dept = D_SAMR;
              rest = C[11] + (rand() < 0.6 ? '守合同重信用企业' : '消费者满意单位') + C[3];
              break;
            }
          }
          lines += prefix + KINDS[kind] + ',' + date + ',' + dept + rest + ',,demo,' + uscc + '-' + k + '\n';
          if (lines.length > 65_536) {
            await records.put(lines); // an enterprise with very many records
            lines = '';
          }
        }
        recordCount += count;
        if (records.fits(lines)) records.add(lines);
        else await records.put(lines);
      }
      // --- Registration changes (变更登记) of companies: more, and more often of key particulars,
      // for risky ones; dated in the 3-year window after establishment.
      if (entityType === 'company' && side() < 0.05 + 0.5 * risk) {
        const changes = 1 + floor(side() * (1 + 4 * risk));
        const lo = established > windowStart ? established : windowStart;
        let lines = '';
        for (let c = 1; c <= changes; c++) {
          const item = CHANGE_CHOICES[floor(side() * CHANGE_CHOICES.length)]!;
          const date = days[lo + floor(side() * (asOfIdx - lo + 1))]!;
          lines += `${uscc},registration_change,${date},${D_SAMR}${C[14]},${item},demo,${uscc}-c${c}\n`;
        }
        recordCount += changes;
        if (records.fits(lines)) records.add(lines);
        else await records.put(lines);
      }
    }
    await Promise.all([register.close(), records.close()]);
  } catch (err) {
    register.stream.destroy();
    records.stream.destroy();
    throw err;
  }
  return { registerFile: register.path, recordsFile: records.path, enterprises: n, records: recordCount };
}
