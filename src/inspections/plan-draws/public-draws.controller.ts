import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/decorators.js';
import { DEPARTMENTS } from '../../auth/roles.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { html, Html, publicPage } from '../../http/public-html.js';
import { CHECK_DETAIL_ZH, CHECK_ZH } from './draw-labels.js';
import { PlanDrawIdParam } from './dto/plan-draw.dto.js';
import { PlanDrawsService } from './plan-draws.service.js';

const PAGE_SIZE = 200;

const STATUS_ZH: Record<string, string> = {
  committed: '已承诺，待揭示',
  revealed: '已揭示，待抽取',
  drawn: '已抽取',
};
const INPUT_ZH: Record<string, string> = {
  params: '抽取参数',
  roster: '检查对象名录',
  inspectors: '执法检查人员名录',
  recusals: '回避名单',
};
const department = (d: string) => (DEPARTMENTS as Record<string, string>)[d] ?? d;

/**
 * The public page of a plan draw (一公开, no login, no script): `/public/draws/:id[?page=n]` with
 * the commitment, public source and value, the secret once revealed, the input digests, per item
 * and tier the counts, the targets' names and USCCs (by item and USCC, never their tier: domain.md
 * 4) and the verification's result check by check. docs/draw-verification.md explains it.
 */
@ApiTags('public 信息公开')
@Controller('public/draws')
export class PublicDrawsController {
  constructor(
    private readonly draws: PlanDrawsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @Public()
  @ApiOperation({ summary: '抽取公示与验证页 / a plan draw and its verification (public HTML)' })
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'text/html; charset=utf-8: a page without script',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ description: 'no such draw (a page saying so)' })
  async page(
    @Param() p: PlanDrawIdParam,
    @Query('page') pageText: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const district = this.config.DISTRICT_NAME;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    let d;
    try {
      d = await this.draws.one(p.id);
    } catch (e) {
      if (!(e instanceof NotFoundException)) throw e;
      res
        .status(404)
        .send(publicPage('未找到该次抽取', html`<p>没有编号为 ${p.id} 的抽取记录。</p>`, district));
      return;
    }
    const page = Math.max(1, Math.min(100000, Number.parseInt(pageText ?? '1', 10) || 1));
    const v = await this.draws.verify(p.id);
    const targets = d.status === 'drawn' ? await this.draws.publicTargets(p.id, page, PAGE_SIZE) : null;
    const pages = targets ? Math.max(1, Math.ceil(targets.total / PAGE_SIZE)) : 1;
    const row = (label: string, value: unknown, mono = false) =>
      html`<dt>${label}</dt><dd${mono ? html` class="mono"` : ''}>${value ?? '—'}</dd>`;
    const verdict: Html =
      d.status !== 'drawn'
        ? html`<section>
            <p class="muted">本批次尚未抽取：揭示种子并抽取后，任何人都可在此核对结果。</p>
          </section>`
        : html`<section class="${v.match ? 'state-ok' : 'state-bad'}">
            <p class="${v.match ? 'ok' : 'bad'}">
              ${v.match ? '验证通过：按公开的输入重新计算，结果与公布的一致。' : '验证未通过：重新计算的结果与公布的不一致，见下表。'}
            </p>
            <table>
              <thead>
                <tr>
                  <th>核对项</th>
                  <th>结果</th>
                  <th>说明</th>
                </tr>
              </thead>
              <tbody>
                ${v.checks.map(
                  (c) =>
                    html`<tr>
                      <td>${CHECK_ZH[c.name] ?? c.name}</td>
                      <td class="${c.ok ? 'ok' : 'bad'}" style="white-space: nowrap">
                        ${c.ok ? '一致' : '不一致'}
                      </td>
                      <td>
                        ${CHECK_DETAIL_ZH[c.name] ?? ''}${c.ok ? '' : html`<br /><span class="mono">${c.detail}</span>`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`;
    const summary = d.summary;
    const body = html` <p>
        <a href="/public/plans/${d.plan.id}">${d.plan.title}</a>（计划编号 ${d.plan.planNo}，第
        ${d.plan.version} 版）· ${d.batch.name}（${d.batch.windowStart} 至 ${d.batch.windowEnd}）
      </p>
      <section>
        <dl>
          ${row('状态', STATUS_ZH[d.status] ?? d.status)} ${row('种子承诺值 (SHA-256)', d.commitment, true)}
          ${row('公开随机数来源', d.publicSource)} ${row('公开随机数', d.publicValue)}
          ${row('种子（揭示后公开）', d.secret, true)} ${row('最终种子', d.finalSeed, true)}
          ${row('输入总摘要', d.inputsDigest, true)}
          ${d.inputs.map((i) => row(`${INPUT_ZH[i.name] ?? i.name}摘要（${i.lines} 行）`, i.digest, true))}
          ${row('结果摘要', d.resultDigest, true)} ${row('算法', d.algorithm, true)}
          ${row('风险分类日期', d.tierDate)}
        </dl>
      </section>
      <h2>验证结果</h2>
      ${verdict}
      <p class="muted">
        如何自行核对：见本局公布的《抽取验证说明》(docs/draw-verification.md)，其中给出算法和测试数据。
      </p>
      ${
        summary
          ? html`<h2>各事项、各类抽取情况</h2>
              <table>
                <thead>
                  <tr>
                    <th>检查事项</th>
                    <th>部门</th>
                    <th>风险分类</th>
                    <th>抽查比例</th>
                    <th>符合条件</th>
                    <th>抽中</th>
                  </tr>
                </thead>
                <tbody>
                  ${summary.strata.map(
                    (s) =>
                      html`<tr>
                        <td>${s.itemName}（${s.itemCode}）</td>
                        <td>${department(s.department)}</td>
                        <td>${s.tier}类</td>
                        <td>${(Number(s.ratio) * 100).toFixed(1)}%</td>
                        <td>${s.eligible}</td>
                        <td>${s.drawn}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              ${
                summary.fullCoverage.length
                  ? html`<h2>全覆盖检查事项（不参与抽取）</h2>
                      <table>
                        <thead>
                          <tr>
                            <th>检查事项</th>
                            <th>部门</th>
                            <th>企业数</th>
                            <th>法定频次（每年）</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${summary.fullCoverage.map(
                            (f) =>
                              html`<tr>
                                <td>${f.itemName}（${f.itemCode}）</td>
                                <td>${department(f.department)}</td>
                                <td>${f.enterprises}</td>
                                <td>${f.perYear ?? '—'}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>`
                  : ''
              }`
          : ''
      }
      ${
        targets
          ? html`<h2>抽中企业（共 ${targets.total} 项，第 ${page}/${pages} 页）</h2>
              <table>
                <thead>
                  <tr>
                    <th>检查事项</th>
                    <th>企业名称</th>
                    <th>统一社会信用代码</th>
                    <th>状态</th>
                  </tr>
                </thead>
                <tbody>
                  ${
                    targets.items.length
                      ? targets.items.map(
                          (t) =>
                            html`<tr>
                              <td>${t.itemName}</td>
                              <td>${t.name}</td>
                              <td class="mono">${t.uscc}</td>
                              <td>${t.status === 'replaced' ? '已替补' : '抽中'}</td>
                            </tr>`,
                        )
                      : html`<tr>
                          <td colspan="4">本页没有记录。</td>
                        </tr>`
                  }
                </tbody>
              </table>
              <p>
                ${page > 1 ? html`<a href="?page=${page - 1}">上一页</a> ` : ''}${page < pages ? html`<a href="?page=${page + 1}">下一页</a>` : ''}
              </p>`
          : ''
      }`;
    res.status(200).send(publicPage(`双随机抽取公示 · 第 ${d.id} 次`, body, district));
  }
}
