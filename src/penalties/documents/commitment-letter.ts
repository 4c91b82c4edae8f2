/**
 * The credit commitment letter (信用承诺书) template: one of the materials of a repair application
 * (domain.md 3.3: application, 信用承诺书, proof of fulfilment; 失信行为纠正后的信用信息修复管理办法（试行）
 * 第十二条; 市场监督管理信用修复管理办法 第八条), served with the notice and offered on the enterprise's
 * page to print, sign and upload. Pure: no framework, no clock.
 */
import type { DocumentModel } from './document-model.js';

/** What the enterprise undertakes (each item a numbered line of the letter). */
export const COMMITMENT_ITEMS: readonly string[] = [
  '本单位已全面履行行政处罚决定规定的义务，纠正了失信行为，消除了不良影响；',
  '本单位提交的信用修复申请材料真实、准确、完整，不存在虚假记载、误导性陈述或者重大遗漏；',
  '本单位将严格遵守法律、法规和规章，依法诚信经营，自觉接受政府部门和社会的监督；',
  '如违背上述承诺，本单位自愿接受撤销信用修复决定、重新公示失信信息以及有关法律、法规规定的惩戒措施，并依法承担相应的法律责任；',
  '本承诺书同意向社会公开，作为事中事后监管的依据。',
];

/**
 * The template as a document model (written by documentHtml / documentPdf).
 * @param authority the bureau it is addressed to (上海市杨浦区市场监督管理局)
 * @param date the day the template is dated for its PDF metadata (YYYY-MM-DD; the rule's edition, not the clock)
 */
export function commitmentLetterDocument(authority: string, date: string): DocumentModel {
  return {
    kind: 'commitment_letter',
    issuer: null,
    title: '信用承诺书',
    number: null,
    blocks: [
      { kind: 'paragraph', text: `${authority}：`, field: 'authority', plain: true },
      {
        kind: 'paragraph',
        text: '本单位因《行政处罚决定书》（文号：＿＿＿＿＿＿＿＿）所涉失信行为被公示，现申请信用修复，并郑重作出如下承诺：',
        field: 'intro',
      },
      { kind: 'list', items: COMMITMENT_ITEMS.map((text, i) => ({ text, field: `items[${i}]` })) },
      { kind: 'blank', label: '承诺单位（盖章）', field: 'blank.enterprise' },
      { kind: 'blank', label: '统一社会信用代码', field: 'blank.uscc' },
      { kind: 'blank', label: '法定代表人（负责人）签字', field: 'blank.representative' },
      { kind: 'blank', label: '联系电话', field: 'blank.phone' },
      { kind: 'blank', label: '日期', field: 'blank.date' },
    ],
    info: { title: '信用承诺书（模板）', subject: '信用修复申请材料', author: authority, date },
    fileName: '信用承诺书',
  };
}
