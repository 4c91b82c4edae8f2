import { escapeHtml, html, publicPage, raw } from './public-html.js';

describe('public-html', () => {
  it('escapes every interpolated value, keeps fragments and joins arrays', () => {
    const name = '<script>alert("x")</script>&\'';
    const list = [html`<i>${'a<b'}</i>`, 'c>d'];
    const br = raw('<br>');
    // prettier-ignore
    const out = html`<p>${name}</p>${br}${list}${null}${false}${0}`;
    expect(out.text).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p><br><i>a&lt;b</i>c&gt;d0',
    );
  });
  it('a page escapes its title and district and has no script', () => {
    const page = publicPage('计划<1>', html`<p>x</p>`, '杨浦区');
    expect(page).toContain('<h1>计划&lt;1&gt;</h1>');
    expect(page).toContain('lang="zh-CN"');
    expect(page).not.toMatch(/<script/i);
    expect(escapeHtml(undefined)).toBe('');
  });
});
