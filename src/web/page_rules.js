// Style rules the page sets while it runs (a lesson's highlights): a constructed style sheet
// per name, adopted by the document. The page's Content-Security-Policy allows no inline
// style, and needs none for these.
const sheets = new Map();

export function set_page_rules(name, css) {
  let sheet = sheets.get(name);
  if (!sheet) {
    if (typeof CSSStyleSheet !== 'function' || !('adoptedStyleSheets' in document)) return false;
    sheet = new CSSStyleSheet();
    sheets.set(name, sheet);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  try {
    sheet.replaceSync(css);
    return true;
  } catch {
    return false;
  }
}
