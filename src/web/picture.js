// Pictures of what the page shows, for slides and worksheets: any element — the graph editor's
// SVG, a chart, a view made of canvases and HTML — as a standalone SVG, or as a PNG drawn
// from that SVG at twice the screen's resolution. Styles are written into the picture
// (resolved from the page's stylesheet, so the theme's colours come along); canvases go in as
// images; text stays text.

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The styles an SVG picture needs from the page's stylesheet. */
const SVG_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'color', 'display',
  'visibility', 'paint-order', 'stroke-linecap', 'stroke-linejoin'];

function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Properties that are not inherited, and the value that needs no writing. */
const UNINHERITED = { opacity: '1', display: 'inline' };

/** `clone` (of `source`, an SVG element) with its computed style written in: each property
 * that differs from what the element would inherit (or, not inherited, from its default). */
function inlineStyles(source, clone, inherited = null) {
  // As presentation attributes: a `style` attribute is what the page's policy refuses.
  const style = getComputedStyle(source);
  for (const name of SVG_PROPS) {
    const value = style.getPropertyValue(name);
    const needless = name in UNINHERITED
      ? value === UNINHERITED[name] || (name === 'display' && value !== 'none')
      : inherited !== null && inherited.getPropertyValue(name) === value;
    // An attribute the stylesheet overrode is written over with what is shown.
    if (value && (!needless || clone.hasAttribute(name))) clone.setAttribute(name, value);
  }
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  for (let i = 0; i < source.children.length; i += 1) {
    if (clone.children[i]) inlineStyles(source.children[i], clone.children[i], style);
  }
}

function shown(element) {
  const style = getComputedStyle(element);
  return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) !== 0;
}

/** The page's background colour, for the picture's. */
function background(element) {
  for (let at = element; at; at = at.parentElement) {
    const colour = getComputedStyle(at).backgroundColor;
    if (colour && colour !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return getComputedStyle(document.documentElement).backgroundColor || '#ffffff';
}

/** The graph editor's SVG: the whole graph (not only what the view shows), its transform
 * dropped, framed with a margin. */
function graphPicture(svg) {
  const content = svg.querySelector(':scope > g');
  const box = content.getBBox();
  const margin = 24;
  const clone = svg.cloneNode(true);
  inlineStyles(svg, clone);
  clone.querySelector(':scope > g').removeAttribute('transform');
  clone.querySelectorAll('.selection-box').forEach((box) => box.remove());
  const width = Math.ceil(box.width + 2 * margin);
  const height = Math.ceil(box.height + 2 * margin);
  clone.setAttribute('viewBox', `${box.x - margin} ${box.y - margin} ${width} ${height}`);
  return framed(clone, width, height, background(svg));
}

/** `clone` as a standalone SVG document of `width`×`height` on `fill`. */
function framed(clone, width, height, fill) {
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', width);
  clone.setAttribute('height', height);
  clone.removeAttribute('style');
  const backdrop = document.createElementNS(SVG_NS, 'rect');
  const [x, y] = (clone.getAttribute('viewBox') || '0 0').split(' ');
  backdrop.setAttribute('x', x);
  backdrop.setAttribute('y', y);
  backdrop.setAttribute('width', width);
  backdrop.setAttribute('height', height);
  backdrop.setAttribute('fill', fill);
  clone.insertBefore(backdrop, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** Any element, drawn as SVG from what the browser laid out: boxes with a background or a
 * border, canvases as images, inline SVG (charts) as nested SVG, and its text. */
function boxesPicture(root) {
  // A margin, for text that runs a little past its box (a column's title).
  const margin = 8;
  const box = root.getBoundingClientRect();
  const origin = { left: box.left - margin, top: box.top - margin };
  const width = Math.ceil(box.width + 2 * margin);
  const height = Math.ceil(box.height + 2 * margin);
  const parts = [];
  const at = (rect) => `x="${(rect.left - origin.left).toFixed(1)}" y="${(rect.top - origin.top).toFixed(1)}"`;
  const size = (rect) => `width="${rect.width.toFixed(1)}" height="${rect.height.toFixed(1)}"`;
  const walk = (element) => {
    if (!shown(element) || element.classList.contains('picture-buttons')) return;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const style = getComputedStyle(element);
    if (element instanceof SVGSVGElement) {
      const clone = element.cloneNode(true);
      inlineStyles(element, clone);
      clone.setAttribute('x', (rect.left - origin.left).toFixed(1));
      clone.setAttribute('y', (rect.top - origin.top).toFixed(1));
      clone.setAttribute('width', rect.width.toFixed(1));
      clone.setAttribute('height', rect.height.toFixed(1));
      clone.setAttribute('color', style.color);
      parts.push(new XMLSerializer().serializeToString(clone));
      return;
    }
    const fill = style.backgroundColor;
    const border = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none' ? style.borderTopColor : null;
    if ((fill && !/rgba\(.*,\s*0\)$/.test(fill) && fill !== 'transparent') || border) {
      const radius = parseFloat(style.borderTopLeftRadius) || 0;
      parts.push(`<rect ${at(rect)} ${size(rect)} rx="${radius}" fill="${/rgba\(.*,\s*0\)$/.test(fill) ? 'none' : fill}"${border ? ` stroke="${border}"` : ''}/>`);
    }
    if (element instanceof HTMLCanvasElement) {
      try {
        parts.push(`<image ${at(rect)} ${size(rect)} preserveAspectRatio="none" href="${element.toDataURL('image/png')}"/>`);
      } catch {
        // A canvas the page cannot read back is left out.
      }
      return;
    }
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text(child, style);
      else if (child.nodeType === Node.ELEMENT_NODE) walk(child);
    }
  };
  const text = (node, style) => {
    const words = node.textContent.split(/(\s+)/);
    let offset = 0;
    const range = document.createRange();
    let line = null;
    const flush = () => {
      if (line && line.text.trim()) {
        parts.push(`<text x="${(line.left - origin.left).toFixed(1)}" y="${(line.baseline - origin.top).toFixed(1)}" fill="${style.color}" font-family="${escape(style.fontFamily)}" font-size="${style.fontSize}" font-weight="${style.fontWeight}" xml:space="preserve">${escape(line.text)}</text>`);
      }
      line = null;
    };
    for (const word of words) {
      if (word.length === 0) continue;
      range.setStart(node, offset);
      range.setEnd(node, offset + word.length);
      offset += word.length;
      const box = range.getClientRects()[0];
      if (!box) continue;
      const baseline = box.bottom - box.height * 0.22;
      if (!line || Math.abs(line.baseline - baseline) > 1) {
        flush();
        line = { left: box.left, baseline, text: '' };
      }
      line.text += word;
    }
    flush();
  };
  walk(root);
  const fill = background(root);
  return {
    text: `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${fill}"/>${parts.join('')}</svg>`,
    width,
    height,
  };
}

function picture(element) {
  return element instanceof SVGSVGElement && element.classList.contains('canvas') ? graphPicture(element) : boxesPicture(element);
}

function offer(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves the element `selector` names as `name`.svg or `name`.png; resolves to '' when the
 * file was offered, else to why not, as a code that `picture.rs` words for the page:
 * `nothing`, `unmade:<error>`, `no-png` or `undrawn:<error>`. */
export async function save_picture(selector, name, format) {
  const element = document.querySelector(selector);
  if (!element) return 'nothing';
  let drawn;
  try {
    drawn = picture(element);
  } catch (error) {
    return `unmade:${error}`;
  }
  const svg = new Blob([drawn.text], { type: 'image/svg+xml' });
  if (format === 'svg') {
    offer(svg, `${name}.svg`);
    return '';
  }
  const url = URL.createObjectURL(svg);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = drawn.width * scale;
    canvas.height = drawn.height * scale;
    const context = canvas.getContext('2d');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, drawn.width, drawn.height);
    const png = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) return 'no-png';
    offer(png, `${name}.png`);
    return '';
  } catch (error) {
    return `undrawn:${error}`;
  } finally {
    URL.revokeObjectURL(url);
  }
}
