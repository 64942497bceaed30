/**
 * Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`) for formatting and parsing times in
 * template functions (`date`, `toDate`, `toDateInZone`, printing a time). Zones are fixed UTC
 * offsets; only `UTC` and `Local` (taken as UTC) are known by name. Pure.
 */

/** A time value as the template layer stores it. */
export interface ZonedTime {
  readonly ns: bigint;
  readonly offsetSec: number;
  readonly zone: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const CHUNKS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '01', '02', '03', '04', '05', '06', '_2', '15',
  'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07', '-07:00:00', '-070000', '-07:00', '-0700', '-07',
  'PM', 'pm', '1', '2', '3', '4', '5',
];

/** Split a layout into literal text and std chunks. */
function chunks(layout: string): { std: boolean; text: string }[] {
  const out: { std: boolean; text: string }[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac !== null && /[0-9]/.test(layout[i - 1] ?? '') ) {
      if (lit) out.push({ std: false, text: lit });
      lit = '';
      out.push({ std: true, text: frac[0] });
      i += frac[0].length;
      continue;
    }
    const c = CHUNKS.find((k) => layout.startsWith(k, i) && !(k === 'Jan' && /^January/.test(layout.slice(i))) && !(k === 'Mon' && /^Monday/.test(layout.slice(i))));
    if (c !== undefined) {
      if (lit) out.push({ std: false, text: lit });
      lit = '';
      out.push({ std: true, text: c });
      i += c.length;
    } else {
      lit += layout[i];
      i++;
    }
  }
  if (lit) out.push({ std: false, text: lit });
  return out;
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');

function civil(t: ZonedTime): { y: number; mo: number; d: number; h: number; mi: number; s: number; nsec: number; wd: number; yd: number } {
  const shifted = t.ns + BigInt(t.offsetSec) * 1_000_000_000n;
  let secs = shifted / 1_000_000_000n;
  let nsec = Number(shifted % 1_000_000_000n);
  if (nsec < 0) {
    nsec += 1_000_000_000;
    secs -= 1n;
  }
  const date = new Date(Number(secs) * 1000);
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  return {
    y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(),
    s: date.getUTCSeconds(), nsec, wd: date.getUTCDay(), yd: Math.floor((date.getTime() - start) / 86400000) + 1,
  };
}

function zoneText(offsetSec: number, std: string): string {
  if (offsetSec === 0 && std.startsWith('Z')) return 'Z';
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const core = std.replace(/^Z/, '-');
  switch (core) {
    case '-07': return sign + hh;
    case '-0700': return sign + hh + mm;
    case '-07:00': return `${sign}${hh}:${mm}`;
    case '-070000': return sign + hh + mm + ss;
    default: return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Format a time with a Go layout. */
export function formatGoTime(t: ZonedTime, layout: string): string {
  const c = civil(t);
  let out = '';
  for (const ch of chunks(layout)) {
    if (!ch.std) {
      out += ch.text;
      continue;
    }
    const k = ch.text;
    if (k[0] === '.' || k[0] === ',') {
      const digits = k.length - 1;
      const frac = pad(c.nsec, 9).slice(0, digits);
      if (k[1] === '0') out += k[0] + frac;
      else {
        const trimmed = pad(c.nsec, 9).slice(0, digits).replace(/0+$/, '');
        if (trimmed !== '') out += k[0] + trimmed;
      }
      continue;
    }
    switch (k) {
      case '2006': out += pad(c.y, 4); break;
      case '06': out += pad(c.y % 100, 2); break;
      case '01': out += pad(c.mo, 2); break;
      case '1': out += String(c.mo); break;
      case 'January': out += MONTHS[c.mo - 1]; break;
      case 'Jan': out += (MONTHS[c.mo - 1] as string).slice(0, 3); break;
      case '02': out += pad(c.d, 2); break;
      case '2': out += String(c.d); break;
      case '_2': out += String(c.d).padStart(2, ' '); break;
      case '002': out += pad(c.yd, 3); break;
      case '15': out += pad(c.h, 2); break;
      case '03': out += pad(c.h % 12 === 0 ? 12 : c.h % 12, 2); break;
      case '3': out += String(c.h % 12 === 0 ? 12 : c.h % 12); break;
      case '04': out += pad(c.mi, 2); break;
      case '4': out += String(c.mi); break;
      case '05': out += pad(c.s, 2); break;
      case '5': out += String(c.s); break;
      case 'PM': out += c.h >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += c.h >= 12 ? 'pm' : 'am'; break;
      case 'Monday': out += DAYS[c.wd]; break;
      case 'Mon': out += (DAYS[c.wd] as string).slice(0, 3); break;
      case 'MST': out += t.zone !== '' ? t.zone : zoneText(t.offsetSec, '-0700'); break;
      default: out += zoneText(t.offsetSec, k);
    }
  }
  return out;
}

/** Parse `value` with a Go layout in a zone given as UTC offset; null when it does not match. */
export function parseGoTime(layout: string, value: string, offsetSec: number, zone: string): ZonedTime | null {
  let y = 1;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let nsec = 0;
  let pm: boolean | null = null;
  let off = offsetSec;
  let zoneName = zone;
  let i = 0;
  const num = (min: number, max: number): number | null => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(i));
    if (m === null) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  for (const ch of chunks(layout)) {
    if (!ch.std) {
      if (!value.startsWith(ch.text, i)) return null;
      i += ch.text.length;
      continue;
    }
    const k = ch.text;
    let v: number | null = 0;
    if (k[0] === '.' || k[0] === ',') {
      const m = /^[.,](\d+)/.exec(value.slice(i));
      if (m === null) {
        if (k[1] === '9') continue;
        return null;
      }
      nsec = Number((m[1] as string).padEnd(9, '0').slice(0, 9));
      i += m[0].length;
      continue;
    }
    switch (k) {
      case '2006': v = y = num(4, 4) ?? NaN; break;
      case '06': v = num(2, 2); y = 2000 + (v ?? 0); if ((v ?? 0) >= 69) y -= 100; break;
      case '01': case '1': v = mo = num(k === '01' ? 2 : 1, 2) ?? NaN; break;
      case 'January': case 'Jan': {
        const idx = MONTHS.findIndex((m) => value.startsWith(k === 'Jan' ? m.slice(0, 3) : m, i));
        if (idx < 0) return null;
        mo = idx + 1;
        i += k === 'Jan' ? 3 : (MONTHS[idx] as string).length;
        break;
      }
      case '02': case '2': case '_2': if (value[i] === ' ') i++; v = d = num(1, 2) ?? NaN; break;
      case '002': v = num(3, 3); break;
      case '15': v = h = num(1, 2) ?? NaN; break;
      case '03': case '3': v = h = num(1, 2) ?? NaN; break;
      case '04': case '4': v = mi = num(1, 2) ?? NaN; break;
      case '05': case '5': v = s = num(1, 2) ?? NaN; break;
      case 'PM': case 'pm': pm = /^pm/i.test(value.slice(i)); i += 2; break;
      case 'Monday': case 'Mon': {
        const idx = DAYS.findIndex((dd) => value.startsWith(k === 'Mon' ? dd.slice(0, 3) : dd, i));
        if (idx < 0) return null;
        i += k === 'Mon' ? 3 : (DAYS[idx] as string).length;
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}/.exec(value.slice(i));
        if (m === null) return null;
        zoneName = m[0];
        if (m[0] === 'UTC' || m[0] === 'GMT') off = 0;
        i += m[0].length;
        break;
      }
      default: {
        if (k.startsWith('Z') && value[i] === 'Z') {
          off = 0;
          zoneName = 'UTC';
          i++;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(value.slice(i));
        if (m === null) return null;
        off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
        zoneName = '';
        i += m[0].length;
      }
    }
    if (v === null || Number.isNaN(v)) return null;
  }
  if (i !== value.length) return null;
  if (pm !== null) h = (h % 12) + (pm ? 12 : 0);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(ms)) return null;
  const ns = BigInt(ms) * 1_000_000n + BigInt(nsec) - BigInt(off) * 1_000_000_000n;
  return { ns, offsetSec: off, zone: zoneName };
}
