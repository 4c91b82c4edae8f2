/**
 * The public pages of published plans (一公开, domain.md 5.1), rendered on the server from the
 * public views (PublicPlansService): plain HTML in Chinese, no script (http/public-html.ts).
 * Nothing here can show an enterprise's tier: the views carry none (domain.md 4); the policy by
 * tier (ratio and cap) is part of the published plan.
 */
import { DEPARTMENTS } from '../../auth/roles.js';
import { html, Html, publicPage } from '../../http/public-html.js';
import type {
  PublicBatchView,
  PublicPlanSummaryView,
  PublicPlanView,
  PublicResultView,
} from '../plans/dto/plan.dto.js';

/** 检查方式 (inspection_item.check_method). */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 检查结果 (inspection_task.outcome). */
export const OUTCOME_LABELS: Record<string, string> = {
  no_problem: '未发现问题',
  problems_found: '发现问题',
  refused: '拒绝检查',
  not_found: '查无下落',
};

/** 计划状态. */
export const PLAN_STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  published: '已发布',
  superseded: '已被替代',
};

/** 抽取状态 (plan_draw.status). */
export const DRAW_STATUS_LABELS: Record<string, string> = {
  committed: '已承诺种子，待公开随机数与揭示',
  revealed: '已揭示种子，待抽取',
  drawn: '已抽取',
};

/** A department's full name in the district (杨浦区市场监督管理局), or the code when unknown. */
export function departmentLabel(code: string, district: string): string {
  const name = (DEPARTMENTS as Record<string, string>)[code];
  return name ? `${district}${name}` : code;
}

/** 'YYYY-MM-DD' -> '2027年4月1日'. */
export function dateZh(d: string | null): string {
  const m = d ? /^(\d{4})-(\d{2})-(\d{2})/.exec(d) : null;
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : '—';
}

/** An ISO instant -> '2027年3月1日 09:30' in Asia/Shanghai. */
export function instantZh(iso: string | null): string {
  if (!iso) return '—';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${Number(p.year)}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

/** 0.05 -> '5%', 0.125 -> '12.5%'. */
export function percentZh(r: number): string {
  return `${Math.round(r * 100_000) / 1000}%`;
}

const status = (s: PublicPlanSummaryView) =>
  html`${PLAN_STATUS_LABELS[s.status] ?? s.status}${s.late ? html` · <span class="bad">逾期发布</span>` : ''}`;

/** Links to pages 1..n of a list (`href(page)`), the current one not a link. */
function pager(page: number, pageSize: number, total: number, href: (p: number) => string): Html {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages === 1) return html``;
  const shown = Array.from({ length: pages }, (_, i) => i + 1).filter(
    (p) => p === 1 || p === pages || Math.abs(p - page) <= 2,
  );
  return html`<p>
    页码：${shown.map((p, i) => html`${i > 0 && shown[i - 1]! < p - 1 ? ' … ' : ' '}${p === page ? html`<strong>${p}</strong>` : html`<a href="${href(p)}">${p}</a>`}`)}（共
    ${total} 条）
  </p>`;
}

/**
 * 年度抽查计划公示 (/public/plans): published and superseded plans, newest year first.
 * @param district the district's name (杨浦区)
 */
export function planListPage(
  list: { items: PublicPlanSummaryView[]; total: number; page: number; pageSize: number; year?: number },
  district: string,
): string {
  const rows = list.items.map(
    (p) =>
      html`<tr>
        <td>${p.year}</td>
        <td><a href="/public/plans/${p.id}">${p.title}</a></td>
        <td class="mono">${p.planNo}</td>
        <td>第 ${p.version} 版</td>
        <td>${departmentLabel(p.leadDepartment, district)}</td>
        <td>${instantZh(p.publishedAt)}</td>
        <td>${status(p)}</td>
      </tr>`,
  );
  const body = html`<p>
      依据《上海市优化营商环境条例》第六十二条，各部门于每年3月底前公布本年度随机抽查计划；3月31日之后发布的计划标注“逾期发布”。计划发布后不再修改，调整以新版本发布并注明所替代的版本。
    </p>
    ${list.year ? html`<p>年度：${list.year}（<a href="/public/plans">查看全部年度</a>）</p>` : ''}
    ${
      list.items.length
        ? html`<div style="overflow-x:auto" tabindex="0">
              <table style="min-width:720px">
                <thead>
                  <tr>
                    <th>年度</th>
                    <th>计划名称</th>
                    <th>计划编号</th>
                    <th>版本</th>
                    <th>牵头部门</th>
                    <th>发布时间</th>
                    <th>状态</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>
            ${pager(list.page, list.pageSize, list.total, (n) => `/public/plans?page=${n}${list.year ? `&year=${list.year}` : ''}`)}`
        : html`<section><p>目前还没有已发布的年度抽查计划。</p></section>`
    }`;
  return publicPage('年度抽查计划公示', body, district);
}

function resultRows(results: PublicResultView[], district: string): Html {
  return html`${results.map(
    (r) =>
      html`<tr>
        <td>${r.enterpriseName}</td>
        <td class="mono">${r.uscc}</td>
        <td>${departmentLabel(r.department, district)}</td>
        <td>${r.items.join('、')}</td>
        <td>
          ${OUTCOME_LABELS[r.outcome] ?? r.outcome}${r.correctionDeadline ? html`（整改期限 ${dateZh(r.correctionDeadline)}）` : ''}
        </td>
        <td>${dateZh(r.recordedOn)}</td>
      </tr>`,
  )}`;
}

const RESULT_HEAD = html`<thead>
  <tr>
    <th>企业名称</th>
    <th>统一社会信用代码</th>
    <th>检查部门</th>
    <th>检查事项</th>
    <th>检查结果</th>
    <th>记录日期</th>
  </tr>
</thead>`;

function batchSection(
  plan: PublicPlanView,
  b: PublicBatchView,
  first: { items: PublicResultView[]; total: number },
  district: string,
): Html {
  const d = b.draw;
  const r = b.results;
  const draw = d
    ? html`<dl>
          <dt>抽取状态</dt>
          <dd>${DRAW_STATUS_LABELS[d.status] ?? d.status}</dd>
          <dt>种子承诺值</dt>
          <dd class="mono">${d.commitment}</dd>
          <dt>公开随机数来源</dt>
          <dd>${d.publicSource}</dd>
          <dt>公开随机数</dt>
          <dd>${d.publicValue ?? '尚未录入'}</dd>
          <dt>承诺时间</dt>
          <dd>${instantZh(d.committedAt)}</dd>
          <dt>抽取时间</dt>
          <dd>${instantZh(d.drawnAt)}</dd>
          <dt>抽中检查对象</dt>
          <dd>${d.status === 'drawn' ? `${d.targets} 户` : '—'}</dd>
        </dl>
        <p><a href="${d.page}">查看抽取过程与核验结果</a></p>`
    : html`<p class="muted">本批次尚未抽取。</p>`;
  const results = r.tasks
    ? html`<p>
          检查任务 ${r.tasks} 项：未发现问题 ${r.no_problem}，发现问题 ${r.problems_found}，拒绝检查
          ${r.refused}，查无下落 ${r.not_found}，尚未完成 ${r.pending}。
        </p>
        ${
          first.items.length
            ? html`<div style="overflow-x:auto" tabindex="0">
                  <table aria-label="${b.name}检查结果" style="min-width:720px">
                    ${RESULT_HEAD}
                    <tbody>
                      ${resultRows(first.items, district)}
                    </tbody>
                  </table>
                </div>
                ${
                  first.total > first.items.length
                    ? html`<p>
                        <a href="/public/plans/${plan.id}/batches/${b.id}/results"
                          >查看本批次全部 ${first.total} 条检查结果</a
                        >
                      </p>`
                    : ''
                }`
            : html`<p class="muted">尚无已记录的检查结果。</p>`
        }`
    : html`<p class="muted">尚无检查任务。</p>`;
  return html`<section>
    <h2>第 ${b.seq} 批：${b.name}</h2>
    <p>检查时段：${dateZh(b.windowStart)} 至 ${dateZh(b.windowEnd)}</p>
    <h3>随机抽取</h3>
    ${draw}
    <h3>检查结果</h3>
    ${results}
  </section>`;
}

/**
 * One published plan (/public/plans/:id): particulars, items with legal basis, the sampling
 * policy by tier, batches with their draw and results (the first `FIRST_RESULTS` of each).
 */
export function planPage(
  plan: PublicPlanView,
  firstResults: { items: PublicResultView[]; total: number }[],
  district: string,
): string {
  const others = plan.versions.filter((v) => v.id !== plan.id);
  const newer = plan.supersededById;
  const items = plan.items.map(
    (i) =>
      html`<tr>
        <td class="mono">${i.code}</td>
        <td>${i.name}</td>
        <td>${departmentLabel(i.department, district)}</td>
        <td>${i.legalBasis}</td>
        <td>${CHECK_METHOD_LABELS[i.checkMethod] ?? i.checkMethod}</td>
        <td>${i.fullCoverage ? '全覆盖检查（按法定频次，不参与抽取）' : '随机抽查'}</td>
      </tr>`,
  );
  const tiers = plan.tiers.map(
    (t, i) =>
      html`<tr>
        <td>${t.tier}类</td>
        <td>${i === 0 && t.ratio === 0 ? '0%（无事不扰，不作例行抽查）' : percentZh(t.ratio)}</td>
        <td>${t.yearlyCap} 次</td>
      </tr>`,
  );
  const body = html`${
      newer
        ? html`<section class="state-bad">
            <p>本版本已被<a href="/public/plans/${newer}">新版本</a>替代，以下为历史版本内容。</p>
          </section>`
        : ''
    }
    <section>
      <dl>
        <dt>计划编号</dt>
        <dd class="mono">${plan.planNo}</dd>
        <dt>版本</dt>
        <dd>第 ${plan.version} 版</dd>
        <dt>年度</dt>
        <dd>${plan.year} 年</dd>
        <dt>牵头部门</dt>
        <dd>${departmentLabel(plan.leadDepartment, district)}</dd>
        <dt>联合部门</dt>
        <dd>
          ${plan.jointDepartments.length ? plan.jointDepartments.map((d) => departmentLabel(d, district)).join('、') : '无'}
        </dd>
        <dt>检查范围</dt>
        <dd>${plan.scope ?? '—'}</dd>
        <dt>发布时间</dt>
        <dd>${instantZh(plan.publishedAt)}</dd>
        <dt>状态</dt>
        <dd>${status(plan)}</dd>
        ${
          others.length
            ? html`<dt>其他版本</dt>
                <dd>
                  ${others.map((v, i) => html`${i ? '、' : ''}<a href="/public/plans/${v.id}">第 ${v.version} 版（${PLAN_STATUS_LABELS[v.status] ?? v.status}）</a>`)}
                </dd>`
            : ''
        }
      </dl>
    </section>
    <h2>检查事项</h2>
    <div style="overflow-x:auto" tabindex="0">
      <table aria-label="检查事项" style="min-width:720px">
        <thead>
          <tr>
            <th>事项编码</th>
            <th>检查事项</th>
            <th>检查部门</th>
            <th>检查依据</th>
            <th>检查方式</th>
            <th>抽查方式</th>
          </tr>
        </thead>
        <tbody>
          ${items}
        </tbody>
      </table>
    </div>
    <h2>抽查比例与年度检查上限</h2>
    <p class="muted">
      按企业信用风险分类确定抽查比例（每批次、每个检查事项分别按比例抽取）和每户企业每年例行检查次数上限。事件触发的检查（投诉举报、转办交办、数据预警、法定要求）不受比例和上限限制，但须载明理由。企业的风险分类属于监管内部信息，不予公开。
    </p>
    <div style="overflow-x:auto" tabindex="0">
      <table aria-label="抽查比例">
        <thead>
          <tr>
            <th>风险分类</th>
            <th>抽查比例</th>
            <th>年度检查上限</th>
          </tr>
        </thead>
        <tbody>
          ${tiers}
        </tbody>
      </table>
    </div>
    <h2>批次与检查结果</h2>
    ${plan.batches.map((b, i) => batchSection(plan, b, firstResults[i] ?? { items: [], total: 0 }, district))}`;
  return publicPage(plan.title, body, district);
}

/** Every recorded result of a batch, page by page (/public/plans/:id/batches/:batchId/results). */
export function resultsPage(
  plan: PublicPlanView,
  batch: PublicBatchView,
  page: { items: PublicResultView[]; total: number; page: number; pageSize: number },
  district: string,
): string {
  const body = html`<p><a href="/public/plans/${plan.id}">返回计划：${plan.title}</a></p>
    <p>
      第 ${batch.seq} 批：${batch.name}（${dateZh(batch.windowStart)} 至
      ${dateZh(batch.windowEnd)}），已记录检查结果 ${page.total} 条。
    </p>
    ${
      page.items.length
        ? html`<div style="overflow-x:auto" tabindex="0">
              <table aria-label="检查结果" style="min-width:720px">
                ${RESULT_HEAD}
                <tbody>
                  ${resultRows(page.items, district)}
                </tbody>
              </table>
            </div>
            ${pager(page.page, page.pageSize, page.total, (n) => `/public/plans/${plan.id}/batches/${batch.id}/results?page=${n}`)}`
        : html`<section><p>本页没有检查结果。</p></section>`
    }`;
  return publicPage(`${plan.title} · 检查结果`, body, district);
}

/** A page saying a plan (or batch) is not published (answered with 404). */
export function notFoundPage(district: string): string {
  return publicPage(
    '未找到该计划',
    html`<section>
      <p>没有找到该年度抽查计划：它可能尚未发布。</p>
      <p><a href="/public/plans">查看已发布的年度抽查计划</a></p>
    </section>`,
    district,
  );
}
