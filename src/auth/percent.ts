/**
 * Percent-encoding and -decoding as the AK/SK signer needs them (pure, no I/O): used on every
 * path segment, query key and value of every signed request, so they avoid regexes.
 */
// ---------------------------------------------------------------------------------------------
// Percent-encoding: RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~) are kept, every other
// UTF-8 byte becomes %XX with upper-case hex. Table-driven: this runs on every segment, key and
// value, so it avoids regexes and encodeURIComponent (which keeps !*'() unencoded).

const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-_.~]/.test(ch)) UNRESERVED[c] = 1;
}
const PCT: string[] = [];
for (let b = 0; b < 256; b++) PCT.push("%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase());

export function percentEncode(s: string): string {
  const n = s.length;
  let i = 0;
  // Fast path: most segments, keys and values need no escaping at all.
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] === 0) break;
    i++;
  }
  if (i === n) return s;

  let out = s.slice(0, i);
  let run = i; // start of the pending run of unreserved characters
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 128) {
      if (UNRESERVED[c] === 1) continue;
      out += s.slice(run, i) + PCT[c];
    } else {
      out += s.slice(run, i);
      if (c < 0x800) {
        out += PCT[0xc0 | (c >> 6)]! + PCT[0x80 | (c & 0x3f)];
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        out +=
          PCT[0xf0 | (c >> 18)]! +
          PCT[0x80 | ((c >> 12) & 0x3f)] +
          PCT[0x80 | ((c >> 6) & 0x3f)] +
          PCT[0x80 | (c & 0x3f)];
      } else {
        // Lone surrogates become U+FFFD, as TextEncoder and the URL parser do.
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        out += PCT[0xe0 | (c >> 12)]! + PCT[0x80 | ((c >> 6) & 0x3f)] + PCT[0x80 | (c & 0x3f)];
      }
    }
    run = i + 1;
  }
  return out + s.slice(run);
}

// ---------------------------------------------------------------------------------------------
// Percent-decoding. decodeURIComponent is fast and exact for well-formed input; for malformed
// escapes ("%zz", invalid UTF-8) fall back to the WHATWG rules: bad escapes stay literal and
// invalid UTF-8 becomes U+FFFD, which is what URLSearchParams would give.

const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20; // fold A-F to a-f
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

function percentDecodeLenient(s: string): string {
  const src = utf8Encoder.encode(s);
  const dst = new Uint8Array(src.length);
  let j = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        dst[j++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    dst[j++] = b;
  }
  return utf8Decoder.decode(dst.subarray(0, j));
}

export function percentDecode(s: string): string {
  if (s.indexOf("%") === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return percentDecodeLenient(s);
  }
}
