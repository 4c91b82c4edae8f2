import { INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { Role } from '../auth/roles.js';
import { ItemsService } from '../inspections/catalog/items.service.js';
import { RecusalsService } from '../inspections/catalog/recusals.service.js';
import { RosterService } from '../inspections/catalog/roster.service.js';
import type { ItemInput } from '../inspections/catalog/rules/catalog-input.js';

/**
 * Demo data of inspection planning (issue 11): the item list (随机抽查事项清单) of three
 * departments, the inspector roster (执法检查人员名录库) and two recusal declarations, so that a
 * demo plan (led by market, health and fire joint) can be drawn: every department has at least
 * three inspectors on the roster qualified for every one of its items (a task needs two
 * qualified for all its items, and one of them may be recused). Development only, like every
 * demo user (loadDemoData refuses production).
 *
 * Item codes and departments (the other parts' demo plan and draw use them):
 * YP-SC-01..06 market (03 full-coverage food), YP-SC-07..08 health, YP-SC-09..10 fire.
 */
export const DEMO_ITEMS: readonly ItemInput[] = [
  {
    code: 'YP-SC-01',
    name: '营业执照及登记事项检查',
    department: 'market',
    legalBasis: '《中华人民共和国市场主体登记管理条例》第三十五条、第三十六条',
    checkMethod: 'documents',
    industries: [],
    requirements: [
      '营业执照（或电子营业执照）置于住所或主要经营场所的醒目位置',
      '实际经营场所与登记的住所（经营场所）一致',
      '未超出登记的经营范围从事须经许可的经营活动',
      '按时报送并公示年度报告',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-02',
    name: '食品经营许可及经营过程检查',
    department: 'market',
    legalBasis: '《中华人民共和国食品安全法》第三十五条、第五十三条、第五十五条',
    checkMethod: 'on_site',
    industries: ['H62', 'F5229'],
    requirements: [
      '持有有效的食品经营许可证并在显著位置公示',
      '从业人员持有有效的健康证明',
      '进货查验记录完整，索证索票齐全',
      '食品贮存条件符合要求，无超过保质期或腐败变质的食品',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-03',
    name: '餐饮服务食品安全日常监督检查（全覆盖）',
    department: 'market',
    legalBasis: '《中华人民共和国食品安全法》第一百零九条；《食品生产经营监督检查管理办法》第十六条',
    checkMethod: 'on_site',
    industries: ['H62'],
    requirements: [
      '加工制作场所清洁卫生，生熟分开',
      '餐饮具清洗消毒设施正常运转，消毒记录完整',
      '食品添加剂按规定使用、专柜存放并公示',
      '按规定留样并记录',
    ],
    fullCoverage: true,
    fullCoveragePerYear: 2,
    active: true,
  },
  {
    code: 'YP-SC-04',
    name: '单用途预付消费卡经营行为检查',
    department: 'market',
    legalBasis: '《上海市单用途预付消费卡管理规定》第十二条、第十四条',
    checkMethod: 'data',
    industries: ['R8930', 'O80', 'P8391'],
    requirements: [
      '按规定报送发卡数量及预收资金信息',
      '预收资金按规定存管',
      '与消费者签订书面合同，明示退卡规则',
      '单张卡面值及预收期限符合规定',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-05',
    name: '建材产品质量检查',
    department: 'market',
    legalBasis: '《中华人民共和国产品质量法》第三十三条至第三十九条',
    checkMethod: 'on_site',
    industries: ['F5165'],
    requirements: [
      '销售的产品有产品质量检验合格证明和中文标识',
      '不销售国家明令淘汰并停止销售的产品',
      '建立并执行进货检查验收制度',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-06',
    name: '明码标价和价格行为检查',
    department: 'market',
    legalBasis: '《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》第五条',
    checkMethod: 'on_site',
    industries: ['F52', 'H62', 'O80'],
    requirements: [
      '销售商品和提供服务实行明码标价',
      '标价内容真实明确、字迹清晰、货签对位',
      '不收取任何未予标明的费用',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-07',
    name: '公共场所卫生监督检查',
    department: 'health',
    legalBasis: '《公共场所卫生管理条例》第三条、第七条；《公共场所卫生管理条例实施细则》第二十二条',
    checkMethod: 'on_site',
    industries: ['O80', 'R8930'],
    requirements: [
      '持有有效的公共场所卫生许可证',
      '从业人员持有有效的健康合格证明',
      '公共用品用具清洗消毒，一客一换',
      '空气、水质等卫生检测报告在有效期内并公示',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-08',
    name: '集中空调通风系统卫生检查',
    department: 'health',
    legalBasis: '《公共场所卫生管理条例实施细则》第十四条；《公共场所集中空调通风系统卫生规范》',
    checkMethod: 'documents',
    industries: ['F52', 'R8930', 'P8391'],
    requirements: [
      '建立集中空调通风系统卫生档案',
      '按规定开展清洗消毒并保留记录',
      '卫生检测报告符合规范要求',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-09',
    name: '人员密集场所消防安全检查',
    department: 'fire',
    legalBasis: '《中华人民共和国消防法》第十六条、第二十八条；《上海市消防条例》第二十一条',
    checkMethod: 'on_site',
    industries: ['H62', 'R8930', 'P8391', 'F52'],
    requirements: [
      '疏散通道、安全出口畅通，未锁闭、封堵',
      '消防设施、器材完好有效',
      '落实每日防火巡查并记录',
      '员工经过消防安全培训',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
  {
    code: 'YP-SC-10',
    name: '消防设施器材维护管理检查',
    department: 'fire',
    legalBasis: '《中华人民共和国消防法》第十六条第一款第（三）项；《建筑消防设施的维护管理》（GB 25201）',
    checkMethod: 'documents',
    industries: [],
    requirements: [
      '每年至少对建筑消防设施进行一次全面检测并存档',
      '灭火器在有效期内并定期检查',
      '消防控制室值班人员持证上岗',
    ],
    fullCoverage: false,
    fullCoveragePerYear: null,
    active: true,
  },
];

/** The codes of a department's demo items. */
const itemsOf = (department: string) =>
  DEMO_ITEMS.filter((i) => i.department === department).map((i) => i.code);

/** A demo inspector: the account (a demo user) and its roster entry. */
export interface DemoInspector {
  username: string;
  displayName: string;
  department: 'market' | 'health' | 'fire';
  credentialNo: string;
  itemCodes: string[];
  areas: string[];
  onRoster: boolean;
}

/**
 * The demo roster: market 7 (demo-inspector among them), health 4, fire 4. On the roster and
 * qualified for all their department's items: market 5, health 4, fire 3; besides them a new
 * market inspector qualified for two items only, one seconded elsewhere (not on the roster), and a
 * fire inspector qualified for one item.
 */
export const DEMO_INSPECTORS: readonly DemoInspector[] = [
  {
    username: 'demo-inspector',
    displayName: '演示执法人员（市场监管）',
    department: 'market',
    credentialNo: '31011026001',
    itemCodes: itemsOf('market'),
    areas: [],
    onRoster: true,
  },
  ...(
    [
      ['2', '王建国', ['定海路街道', '平凉路街道'], itemsOf('market'), true],
      ['3', '李秀英', ['江浦路街道', '四平路街道'], itemsOf('market'), true],
      ['4', '张伟', ['五角场街道', '新江湾城街道'], itemsOf('market'), true],
      ['5', '刘洋', [], itemsOf('market'), true],
      ['6', '陈静', ['殷行街道'], ['YP-SC-01', 'YP-SC-04'], true],
      ['7', '杨帆', [], itemsOf('market'), false],
    ] as const
  ).map(([n, name, areas, items, onRoster]) => ({
    username: `zhifa-market-${n}`,
    displayName: `${name}（市场监管）`,
    department: 'market' as const,
    credentialNo: `3101102600${n}`,
    itemCodes: [...items],
    areas: [...areas],
    onRoster,
  })),
  ...(
    [
      ['1', '赵敏', []],
      ['2', '黄磊', ['控江路街道', '长白新村街道']],
      ['3', '周婷', []],
      ['4', '吴刚', ['大桥街道']],
    ] as const
  ).map(([n, name, areas]) => ({
    username: `zhifa-health-${n}`,
    displayName: `${name}（卫生健康）`,
    department: 'health' as const,
    credentialNo: `3101102700${n}`,
    itemCodes: itemsOf('health'),
    areas: [...areas],
    onRoster: true,
  })),
  ...(
    [
      ['1', '徐强', [], itemsOf('fire')],
      ['2', '孙丽', ['延吉新村街道'], itemsOf('fire')],
      ['3', '马超', [], itemsOf('fire')],
      ['4', '朱琳', ['长海路街道'], ['YP-SC-09']],
    ] as const
  ).map(([n, name, areas, items]) => ({
    username: `zhifa-fire-${n}`,
    displayName: `${name}（消防）`,
    department: 'fire' as const,
    credentialNo: `3101102800${n}`,
    itemCodes: [...items],
    areas: [...areas],
    onRoster: true,
  })),
];

/**
 * Password of every demo inspector (published: development only). Their usernames are
 * `zhifa-<department>-<n>` (执法): after the issue 10 demo users and the browser tests' own users
 * in username order, so those stay on the first page of 用户管理.
 */
export const DEMO_INSPECTOR_PASSWORD = 'Yangpu-Insp-2026';

/**
 * The demo users planning adds (DEMO_USERS in demo-data.ts lists them after the first four): the
 * inspectors but demo-inspector, and a regulator of health and of fire (a declaration about a
 * health or fire inspector is reviewed by its own department's regulator).
 */
export const DEMO_PLANNING_USERS: {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  department?: string;
  credentialNo?: string;
}[] = [
  {
    username: 'demo-reg-health',
    password: 'Yangpu-Reg-2026',
    displayName: '演示监管人员（卫生健康）',
    role: 'regulator',
    department: 'health',
  },
  {
    username: 'demo-reg-fire',
    password: 'Yangpu-Reg-2026',
    displayName: '演示监管人员（消防）',
    role: 'regulator',
    department: 'fire',
  },
  ...DEMO_INSPECTORS.filter((i) => i.username !== 'demo-inspector').map((i) => ({
    username: i.username,
    password: DEMO_INSPECTOR_PASSWORD,
    displayName: i.displayName,
    role: 'inspector' as const,
    department: i.department,
    credentialNo: i.credentialNo,
  })),
];

/** A stored user as the services' callers take it. */
async function authUser(ds: DataSource, username: string): Promise<AuthUser | null> {
  const [u] = await ds.query(
    `SELECT u.id::int AS id, u.username, u.display_name, u.role, u.department, u.credential_no,
       u.enterprise_id::int AS enterprise_id, e.uscc
     FROM app_user u LEFT JOIN enterprise e ON e.id = u.enterprise_id WHERE u.username = $1 AND u.deleted_at IS NULL`,
    [username],
  );
  if (!u) return null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    department: u.department,
    credentialNo: u.credential_no,
    enterpriseId: u.enterprise_id,
    enterpriseUscc: u.uscc,
  };
}

/**
 * Loads the planning demo data through the services operators use (each write audited as `actor`):
 * the items not stored yet, every demo inspector's roster entry, and, while there is no
 * declaration at all, two recusals: zhifa-market-2's own declaration about the
 * second-lowest-scored enterprise, approved by demo-regulator (a draw skips that inspector there),
 * and demo-enterprise's pending request that zhifa-market-3 withdraw (the review queue).
 * Runs after the demo users exist. @returns what it added
 */
export async function loadDemoPlanning(
  app: INestApplicationContext,
  actor: Actor,
): Promise<{ items: number; inspectors: number; recusals: number }> {
  const ds = app.get(DataSource);
  const items = app.get(ItemsService);
  let addedItems = 0;
  for (const item of DEMO_ITEMS) {
    const [known] = await ds.query(`SELECT 1 FROM inspection_item WHERE code = $1`, [item.code]);
    if (known) continue;
    await items.create(item, null, actor);
    addedItems++;
  }
  const roster = app.get(RosterService);
  let inspectors = 0;
  for (const i of DEMO_INSPECTORS) {
    const user = await authUser(ds, i.username);
    if (!user || user.role !== 'inspector') continue;
    await roster.update(
      user.id,
      { areas: i.areas, onRoster: i.onRoster, itemCodes: i.itemCodes },
      null,
      actor,
    );
    inspectors++;
  }
  let recusals = 0;
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM recusal`);
  const declarer = await authUser(ds, 'zhifa-market-2');
  const reviewer = await authUser(ds, 'demo-regulator');
  const enterpriseUser = await authUser(ds, 'demo-enterprise');
  const [target] = await ds.query(
    `SELECT e.uscc FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
     WHERE e.status = 'active' ORDER BY s.score, e.uscc OFFSET 1 LIMIT 1`,
  );
  if (n === 0 && declarer && reviewer && target) {
    const service = app.get(RecusalsService);
    const declared = await service.create(
      { enterpriseUscc: target.uscc, reason: '本人配偶在该企业担任财务负责人，存在利害关系' },
      declarer,
      actor,
    );
    await service.review(declared.id, { decision: 'approved', note: '情况属实，同意回避' }, reviewer, actor);
    recusals++;
    if (enterpriseUser?.enterpriseId) {
      await service.create(
        { inspectorCredentialNo: '31011026003', reason: '该执法人员曾与本企业发生经济纠纷，申请其回避' },
        enterpriseUser,
        actor,
      );
      recusals++;
    }
  }
  new Logger('DemoData').log(
    `planning demo data: ${addedItems} inspection items, ${inspectors} roster entries, ${recusals} recusal declarations`,
  );
  return { items: addedItems, inspectors, recusals };
}
