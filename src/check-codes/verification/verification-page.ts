/**
 * The public page of an inspection code (/v/<code>; issue 12 "Verifying"): what the enterprise
 * sees after scanning the inspector's QR code, server-rendered in Chinese, readable on a 375 px
 * phone, with no script and no external asset (http/public-html.ts). Pure: renders a
 * VerificationView (verification-view.ts).
 *
 * Genuine: a large green verdict, the check word very large with when it changes, the task (plan
 * number, or the triggers' reasons), the enterprise, each item with its legal basis and what will
 * be checked, the departments, the inspectors with their credential numbers, the validity window
 * and the state; after completion a link to rate the visit. Not valid: an unmistakable red page
 * with the reason in words and what to do (do not accept the inspection, whom to call, how to
 * report).
 */
import { html, Html, publicPage } from '../../http/public-html.js';
import type { VerificationView } from './verification-view.js';

/** The page's own style rules (after the common ones; inline, as the page's CSP allows). */
const STYLE = `
  .verdict { border-radius: 8px; padding: 16px; margin: 0 0 12px; color: #fff; border: 0; }
  .verdict-ok { background: #1a7f37; }
  .verdict-bad { background: #b42318; }
  .verdict-done { background: #3d4a5c; }
  .verdict .title { font-size: 1.75rem; font-weight: 700; margin: 0; line-height: 1.3; }
  .verdict .mark { font-size: 2.4rem; line-height: 1; display: block; margin-bottom: 4px; }
  .verdict p { margin: 6px 0 0; }
  .verdict a { color: #fff; }
  .word { text-align: center; border: 3px solid #1a7f37; }
  .word .label { margin: 0; color: #1f2329; font-weight: 600; }
  .word .value { font-size: 4rem; font-weight: 700; letter-spacing: 0.3em; margin: 4px 0 4px 0.3em;
    color: #0b3d1d; line-height: 1.2; }
  .word .hint { font-weight: 600; margin: 4px 0; }
  .items { list-style: none; padding: 0; margin: 0; }
  .items > li { border-top: 1px solid #dcdfe6; padding: 8px 0; }
  .items > li:first-child { border-top: 0; }
  .items h3 { font-size: 1.05rem; margin: 0 0 4px; }
  .items ul { margin: 4px 0 0; padding-left: 1.3em; }
  .people { list-style: none; padding: 0; margin: 0; }
  .people li { padding: 6px 0; border-top: 1px solid #dcdfe6; }
  .people li:first-child { border-top: 0; }
  .people .name { font-size: 1.15rem; font-weight: 600; }
  .phones { list-style: none; padding: 0; margin: 8px 0 0; }
  .phones li { margin: 6px 0; }
  .phones a { font-size: 1.25rem; font-weight: 700; white-space: nowrap; }
  .nowrap { white-space: nowrap; }
  .verdict .stop { font-size: 1.15rem; font-weight: 700; }
  .button { display: inline-block; background: #0b4f9c; color: #fff; padding: 10px 18px; border-radius: 6px;
    text-decoration: none; font-weight: 600; }
  textarea { width: 100%; box-sizing: border-box; font: inherit; font-size: 1rem; padding: 8px; min-height: 6em; }
  button { font: inherit; font-size: 1rem; padding: 10px 18px; border-radius: 6px; border: 0; background: #0b4f9c;
    color: #fff; margin-top: 8px; }
  .state { font-weight: 700; }
`;

const OPTIONS = {
  style: STYLE,
  home: { href: '/v', label: '检查码核验' },
  footer: '本页面由区市场监督管理局提供，无需登录；核验结果以本局系统为准。请勿在本页以外的网址核验检查码。',
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as people in Shanghai read it: 2026年12月1日 09:30. An end at midnight reads as 24:00
 * of the day before (a window ends at the end of its last day).
 */
export function shanghaiTime(isoInstant: string, end = false): string {
  const t = Date.parse(isoInstant) + 8 * 3_600_000; // Asia/Shanghai: UTC+8, no daylight saving
  const d = new Date(end && t % 86_400_000 === 0 ? t - 1 : t);
  const midnight = end && t % 86_400_000 === 0;
  const time = midnight ? '24:00' : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${time}`;
}

/** Minutes shown for the seconds until the check word changes (rounded up, at least 1). */
export function minutesLeft(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

function phones(v: VerificationView): Html {
  return html`<ul class="phones">
    ${v.phones.map(
      (p) => html`<li>${p.name}：<a href="tel:${p.number.replace(/[^0-9+]/g, '')}">${p.number}</a></li>`,
    )}
  </ul>`;
}

const row = (label: string, value: unknown) =>
  html`<dt>${label}</dt>
    <dd>${value ?? '—'}</dd>`;

function windowText(v: VerificationView): Html {
  return v.validFrom && v.validUntil
    ? html`<span class="nowrap">${shanghaiTime(v.validFrom)}</span> 至
        <span class="nowrap">${shanghaiTime(v.validUntil, true)}</span>`
    : html`—`;
}

/** The page of a valid code. */
function validBody(v: VerificationView): Html {
  const t = v.task!;
  const lead = v.lead?.code;
  // a completed code is genuine but no longer admits an inspection: a neutral verdict, never the
  // green one (a photographed code of an earlier visit must not read as "come in")
  const verdict =
    v.state === 'completed'
      ? html`<section class="verdict verdict-done" role="status">
          <p class="title"><span class="mark" aria-hidden="true">■</span>本次检查已完成 · 不能再凭此码检查</p>
          <p>
            本局签发的真实检查码，对应的检查${v.completedAt ? html`已于 <span class="nowrap">${shanghaiTime(v.completedAt)}</span> ` : ''}完成。
            如有人再凭此码要求检查，请不要接受。检查码编号 <strong>${v.codeNoText}</strong>
          </p>
        </section>`
      : html`<section class="verdict verdict-ok" role="status">
          <p class="title"><span class="mark" aria-hidden="true">✔</span>检查码有效 · 真实检查</p>
          <p>本局签发的检查码，在有效期内。检查码编号 <strong>${v.codeNoText}</strong></p>
        </section>`;
  return html`${verdict}
    ${
      v.checkWord
        ? html`<section class="word" aria-labelledby="word-label">
            <p class="label" id="word-label">核验词</p>
            <p class="value">${v.checkWord}</p>
            <p class="hint">请检查人员读出核验词；与此处一致方为真实检查</p>
            <p class="muted">
              核验词每 10 分钟更换一次，约 ${minutesLeft(v.checkWordChangesInSeconds ?? 0)}
              分钟后更换；更换后请刷新本页再核对。
            </p>
          </section>`
        : ''
    }
    <section>
      <p>${v.whatToDo}</p>
      ${
        v.ratingPath
          ? html`<p><a class="button" href="${v.ratingPath}">评价本次检查</a></p>
              <p class="muted">评价为匿名，需以本企业账号登录。</p>`
          : ''
      }
    </section>
    <h2>检查任务</h2>
    <section>
      <dl>
        ${row('检查类型', t.kindText)}
        ${t.plans.map((p) =>
          row(
            '计划编号',
            html`${p.planNo}${p.version !== null ? `（第 ${p.version} 版）` : ''}${p.batch ? ` · ${p.batch}` : ''}`,
          ),
        )}
        ${t.triggers.map((x) => row(`检查原因（${x.kindText}）`, x.reason))}
        ${row('当前状态', html`<span class="state">${v.stateText}</span>`)} ${row('有效期', windowText(v))}
      </dl>
    </section>
    <h2>被检查企业</h2>
    <section>
      <dl>
        ${row('企业名称', v.enterprise?.name)}
        ${row('统一社会信用代码', html`<span class="mono">${v.enterprise?.uscc}</span>`)}
      </dl>
      <p class="muted">如企业名称或代码不是贵单位，请勿接受检查。</p>
    </section>
    <h2>检查事项（${v.items.length} 项）</h2>
    <section>
      <ul class="items">
        ${v.items.map(
          (i) =>
            html`<li>
              <h3>${i.name}</h3>
              <dl>
                ${row('事项编码', i.code)} ${row('实施部门', i.department.name)}
                ${row('检查依据', i.legalBasis)} ${row('检查方式', i.checkMethodText)}
              </dl>
              ${
                i.requirements.length
                  ? html`<p class="muted">检查内容：</p>
                      <ul>
                        ${i.requirements.map((r) => html`<li>${r}</li>`)}
                      </ul>`
                  : ''
              }
            </li>`,
        )}
      </ul>
    </section>
    <h2>检查部门</h2>
    <section>
      <ul class="people">
        ${v.departments.map(
          (d) => html`<li>${d.name}${d.code === lead && v.departments.length > 1 ? '（牵头部门）' : ''}</li>`,
        )}
      </ul>
    </section>
    <h2>检查人员（${v.inspectors.length} 名）</h2>
    <section>
      <ul class="people">
        ${v.inspectors.map(
          (p) =>
            html`<li>
              <span class="name">${p.name}</span><br />执法证号
              <span class="mono">${p.credentialNo}</span
              >${p.department ? html`<br /><span class="muted">${p.department.name}</span>` : ''}
            </li>`,
        )}
      </ul>
      <p class="muted">请核对来人出示的执法证件：姓名、执法证号须与上列一致。</p>
    </section>
    <h2>有疑问请致电</h2>
    <section>${phones(v)}</section>`;
}

/** The page of a code that is not valid (forged, altered, unreadable, expired, revoked, not yet valid). */
function notValidBody(v: VerificationView): Html {
  return html`<section class="verdict verdict-bad" role="alert">
      <p class="title"><span class="mark" aria-hidden="true">✘</span>检查码无效</p>
      <p class="stop">不能凭此码实施检查</p>
      <p><strong>${v.reasonText}</strong></p>
    </section>
    <h2>请这样做</h2>
    <section>
      <p>${v.whatToDo}</p>
      ${phones(v)}
    </section>
    ${
      v.codeNo
        ? html`<h2>该检查码</h2>
            <section>
              <dl>
                ${row('检查码编号', v.codeNoText)} ${row('有效期', windowText(v))}
                ${v.stateText ? row('状态', html`<span class="state">${v.stateText}</span>`) : ''}
              </dl>
              ${v.ratingPath ? html`<p><a class="button" href="${v.ratingPath}">评价本次检查</a></p>` : ''}
            </section>`
        : ''
    }
    <h2>如何举报</h2>
    <section>
      <ol>
        <li>不要让来人进入经营场所检查，不要提供资料、签字或付款。</li>
        <li>记下来人姓名、所称单位和证件号、人数、车辆和时间；方便时保存本页截图。</li>
        <li>拨打上列电话举报，或到本局窗口反映；也可在“全国12315平台”网上投诉举报。</li>
      </ol>
    </section>
    ${codeForm()}`;
}

/** The form to check a code by its text (no script: a plain GET form). */
function codeForm(): Html {
  return html`<h2>核验其他检查码</h2>
    <section>
      <form method="get" action="/v">
        <label for="code">粘贴检查码内容或链接（以 JC1. 开头）</label>
        <textarea
          id="code"
          name="code"
          required
          maxlength="1500"
          spellcheck="false"
          autocapitalize="characters"
        ></textarea>
        <button type="submit">核验</button>
      </form>
    </section>`;
}

/** The page for a verification (valid or not). */
export function verificationPage(v: VerificationView, district: string, site?: string): string {
  const options = site
    ? {
        ...OPTIONS,
        footer: `${OPTIONS.footer}本局核验网址为 ${site}，请核对浏览器地址栏。`,
      }
    : OPTIONS;
  return v.verdict === 'valid'
    ? publicPage('检查码核验结果', validBody(v), district, options)
    : publicPage('检查码核验结果', notValidBody(v), district, options);
}

/** The page at /v without a code: how to verify, and the form. */
export function verificationFormPage(district: string): string {
  return publicPage(
    '检查码核验',
    html`<section>
        <p>
          执法检查人员上门检查时，应出示本局签发的检查码（二维码）。用手机扫描二维码即可打开核验页面，查看检查任务、检查事项和检查人员。
        </p>
        <p>
          也可以把检查码的内容或链接粘贴到下面核验。核验页面会显示一个<strong>核验词</strong>：请检查人员读出，与页面一致方为真实检查。
        </p>
      </section>
      ${codeForm()}`,
    district,
    OPTIONS,
  );
}

/** The page answered when a verifier asked too often (429). */
export function tooManyPage(
  district: string,
  bureauPhone: string,
  retryAfterSeconds: number,
  bureauPhoneName: string,
): string {
  return publicPage(
    '查询过于频繁',
    html`<section class="verdict verdict-bad" role="alert">
        <p class="title">查询过于频繁</p>
        <p>此网络地址的核验请求过多，请约 ${minutesLeft(retryAfterSeconds)} 分钟后再试。</p>
      </section>
      <section>
        <p>
          这不表示检查码无效。如检查人员正在现场而无法核验，请拨打 12315 或${bureauPhoneName} ${bureauPhone}
          核实。
        </p>
      </section>`,
    district,
    OPTIONS,
  );
}
