/**
 * The credit-repair notice (信用修复告知书) as a document, from what the notice says as frozen when
 * issued (repair_notice.contents, RepairNoticeContents): every field shown (domain.md 3.5: the
 * enterprise, decision number and date; whether and where published; the period and its end; the
 * earliest repair date and the conditions; whether it can never be repaired early; how and where
 * to apply (no conditions, materials nor application when no repair can be applied for: 是否可提前修复
 * 否, with why); extended practice: materials with the 信用承诺书 template, rights, advice, the measures
 * that follow; and the rule behind every date). Pure: no framework, no clock.
 */
import type { PenaltyType } from '../../credit/rules/record-kinds.js';
import type { RepairNoticeContents } from '../rules/notice-contents.js';
import { citationText, penaltyTypeLabel } from '../rules/publication-regimes.js';
import { type DocBlock, type DocumentModel, documentDate, yuanText } from './document-model.js';

const FIELD_LABELS: Record<string, string> = {
  regime: '适用规则',
  published: '是否公示',
  publishBy: '公示时限',
  publicationLastDay: '公示期',
  earliestRepairOn: '信用修复',
  neverEndedEarly: '不得提前停止公示',
};

/**
 * The notice as a document model (written by documentHtml / documentPdf).
 * @throws RangeError for a date in the contents that is not YYYY-MM-DD, or a negative amount
 */
export function repairNoticeDocument(c: RepairNoticeContents): DocumentModel {
  const d = c.decision;
  const decisionTitle = d.kind === 'serious_listing' ? '列入严重违法失信名单决定书' : '行政处罚决定书';
  // a repair can be applied for from a day; otherwise (never ended early, or it ends by itself
  // first) there are no conditions nor materials, and the notice says so once
  const repairable = !c.neverEndedEarly && c.earliestRepairOn !== null;
  const blocks: DocBlock[] = [
    { kind: 'paragraph', text: `${c.enterprise.name}：`, field: 'enterprise.name', plain: true },
    {
      kind: 'paragraph',
      text:
        `本机关于${documentDate(d.decisionDate)}对你单位作出《${decisionTitle}》（${d.decisionNo}）。` +
        '根据国家和本市关于信用修复的规定，现将该信息的公示及信用修复事项告知如下：',
      field: 'decision.decisionNo',
    },
    { kind: 'heading', text: '一、决定信息', field: 'heading.decision' },
    {
      kind: 'fields',
      rows: [
        { label: '当事人', value: c.enterprise.name, field: 'enterprise.name' },
        { label: '统一社会信用代码', value: c.enterprise.uscc, field: 'enterprise.uscc' },
        { label: '决定书文号', value: d.decisionNo, field: 'decision.decisionNo' },
        { label: '决定日期', value: documentDate(d.decisionDate), field: 'decision.decisionDate' },
        ...(d.kind === 'penalty'
          ? [
              {
                label: '处罚种类',
                value: d.penaltyTypes.map((t) => penaltyTypeLabel(t as PenaltyType) ?? t).join('、') || '—',
                field: 'decision.penaltyTypes',
              },
            ]
          : [{ label: '决定种类', value: '列入严重违法失信名单', field: 'decision.kind' }]),
        ...(d.fineFen !== null
          ? [{ label: '罚款', value: yuanText(d.fineFen), field: 'decision.fineFen' }]
          : []),
      ],
    },
    { kind: 'heading', text: '二、信息公示', field: 'heading.publication' },
    {
      kind: 'fields',
      rows: [
        {
          label: '是否公示',
          value: c.published
            ? '予以公示'
            : `不予公示${c.notPublishedReason ? `（${c.notPublishedReason}）` : ''}`,
          field: 'published',
        },
        ...(c.published
          ? [
              { label: '公示平台', value: c.publishedWhere.join('、') || '—', field: 'publishedWhere' },
              { label: '公示期限', value: c.publicationLength ?? '—', field: 'publicationLength' },
              {
                label: '公示起始日',
                value: c.publicationStart ? documentDate(c.publicationStart) : '—',
                field: 'publicationStart',
              },
              {
                label: '公示截止日',
                value: c.publicationLastDay ? documentDate(c.publicationLastDay) : '—',
                field: 'publicationLastDay',
              },
            ]
          : []),
        { label: '适用规则', value: `${c.regime.name}（${c.regime.code}）`, field: 'regime.name' },
      ],
    },
    { kind: 'heading', text: '三、信用修复', field: 'heading.repair' },
    {
      kind: 'fields',
      rows: [
        {
          label: '最早可申请修复日期',
          value: c.neverEndedEarly
            ? '不适用（不得提前停止公示，不予信用修复）'
            : c.earliestRepairOn
              ? documentDate(c.earliestRepairOn)
              : '不适用（公示期满自动停止公示）',
          field: 'earliestRepairOn',
        },
        {
          label: '是否可提前修复',
          value: c.neverEndedEarly
            ? '否：公示期内不得提前停止公示'
            : repairable
              ? '是：符合条件的可申请提前停止公示'
              : '否（期满自动停止公示，无需申请）',
          field: 'neverEndedEarly',
        },
      ],
    },
  ];
  let n = 4;
  const numeral = () => `${'一二三四五六七八九十'[n++ - 1]}、`;
  const list = (heading: string, field: string, items: string[]) => {
    blocks.push({ kind: 'heading', text: `${numeral()}${heading}`, field: `heading.${field}` });
    if (items.length === 0) blocks.push({ kind: 'paragraph', text: '无。', field });
    else blocks.push({ kind: 'list', items: items.map((text, i) => ({ text, field: `${field}[${i}]` })) });
  };
  // conditions and materials only when a repair can be applied for (a notice frozen before this
  // rule may still hold a sentence as its "condition": it is not shown)
  if (repairable) {
    list('申请修复应当同时符合的条件', 'conditions', c.conditions);
    list('申请材料', 'materials', c.materials);
    list('申请方式和地点', 'howToApply', c.howToApply);
  } else list('咨询方式', 'howToApply', c.howToApply);
  list('权利告知', 'rights', c.rights);
  list('合规建议', 'advice', c.advice);
  list('相关惩戒措施', 'measures', c.measures);
  blocks.push({ kind: 'heading', text: `${numeral()}各日期的依据`, field: 'heading.rules' });
  blocks.push({
    kind: 'list',
    items: c.rules.map((r, i) => ({
      text: `${FIELD_LABELS[r.field] ?? r.field}：${r.text}（依据：${citationText(r)}）`,
      field: `rules[${i}]`,
    })),
  });
  if (c.provisional)
    blocks.push({
      kind: 'paragraph',
      text: '注：上述部分日期所在年份的法定节假日安排尚未公布，相关日期为暂定，以国务院办公厅公布的安排为准。',
      field: 'provisional',
    });
  blocks.push({
    kind: 'signature',
    lines: [
      { text: c.authority, field: 'authority' },
      { text: documentDate(c.issuedOn), field: 'issuedOn' },
    ],
  });
  return {
    kind: 'repair_notice',
    issuer: c.authority,
    title: '信用修复告知书',
    number: c.noticeNo,
    blocks,
    info: {
      title: `信用修复告知书 ${c.noticeNo}`,
      subject: `${c.enterprise.name} ${d.decisionNo}`,
      author: c.authority,
      date: c.issuedOn,
    },
    fileName: `信用修复告知书-${d.decisionNo}`,
  };
}
