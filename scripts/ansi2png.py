#!/usr/bin/python3
"""ansi2png: render a terminal capture (tmux capture-pane -p -e -N) as a PNG.

Why not ansilove: it only knows CP437 and wraps on byte counts, which shifted rows of our
UTF-8 screens; why not a browser: 400 MB to install for a picture. This reads the SGR
escapes tmux writes, draws each cell with a PSF2 console font (Debian's console-setup-linux,
Terminus, with box drawing and the symbols the screens use) and writes the PNG with zlib.
The output depends only on the input and the font: the same capture gives the same bytes.

usage: ansi2png.py CAPTURE PNG [--cols N] [--rows N] [--font FILE.psf.gz]
"""
import gzip
import struct
import sys
import zlib

FONT_DIR = "/usr/share/consolefonts/"
DEFAULT_FONT = FONT_DIR + "Uni2-Terminus20x10.psf.gz"
BOLD_FONT = FONT_DIR + "Uni2-TerminusBold20x10.psf.gz"

# xterm's 16 colours, then the 6x6x6 cube and the grey ramp of the 256-colour palette.
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (204, 204, 204),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (242, 242, 242),
]


def palette(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


DEFAULT_FG = (204, 204, 204)
DEFAULT_BG = (16, 16, 16)


class Font:
    def __init__(self, path):
        data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
        magic, _ver, hsize, flags, count, csize, height, width = struct.unpack("<8I", data[:32])
        if magic != 0x864AB572:
            raise SystemExit("ansi2png: %s is not a PSF2 font" % path)
        self.width, self.height, self.rowbytes = width, height, (width + 7) // 8
        self.glyphs = [data[hsize + i * csize: hsize + (i + 1) * csize] for i in range(count)]
        self.map = {}
        if flags & 1:
            pos, index = hsize + count * csize, 0
            while pos < len(data) and index < count:
                end = data.index(b"\xff", pos)
                entry = data[pos:end]
                for seq in entry.split(b"\xfe")[0:1]:
                    for ch in seq.decode("utf-8", "replace"):
                        self.map.setdefault(ch, index)
                pos, index = end + 1, index + 1
        self.fallback = self.map.get("?", 0)

    # Glyphs Terminus lacks, drawn as the nearest one it has.
    SUBSTITUTES = {"\u25ba": "\u25b6", "\u2713": "\u221a", "\u2714": "\u221a",
                   "\u25cb": "o", "\u25c9": "\u25cf", "\u25c6": "\u2666", "\u2605": "*"}

    def glyph(self, ch):
        if ch not in self.map:
            ch = self.SUBSTITUTES.get(ch, ch)
        return self.glyphs[self.map.get(ch, self.fallback)]


def parse(text, cols, rows):
    """The capture as rows of cells: (char, fg, bg, bold, reverse, underline)."""
    grid = []
    for line in text.split("\n")[:rows]:
        fg, bg, bold, rev, ul, dim = None, None, False, False, False, False
        cells, i = [], 0
        while i < len(line):
            c = line[i]
            if c == "\x1b" and i + 1 < len(line) and line[i + 1] == "[":
                j = i + 2
                while j < len(line) and not line[j].isalpha():
                    j += 1
                if j < len(line) and line[j] == "m":
                    params = [int(p) if p else 0 for p in line[i + 2:j].split(";")] or [0]
                    k = 0
                    while k < len(params):
                        p = params[k]
                        if p == 0:
                            fg, bg, bold, rev, ul, dim = None, None, False, False, False, False
                        elif p == 1:
                            bold = True
                        elif p == 2:
                            dim = True
                        elif p == 4:
                            ul = True
                        elif p == 7:
                            rev = True
                        elif p == 22:
                            bold = dim = False
                        elif p == 24:
                            ul = False
                        elif p == 27:
                            rev = False
                        elif 30 <= p <= 37:
                            fg = palette(p - 30)
                        elif 90 <= p <= 97:
                            fg = palette(p - 90 + 8)
                        elif p == 39:
                            fg = None
                        elif 40 <= p <= 47:
                            bg = palette(p - 40)
                        elif 100 <= p <= 107:
                            bg = palette(p - 100 + 8)
                        elif p == 49:
                            bg = None
                        elif p in (38, 48) and k + 1 < len(params):
                            if params[k + 1] == 5 and k + 2 < len(params):
                                col, k = palette(params[k + 2]), k + 2
                            elif params[k + 1] == 2 and k + 4 < len(params):
                                col, k = tuple(params[k + 2:k + 5]), k + 4
                            else:
                                col = None
                            if p == 38:
                                fg = col
                            else:
                                bg = col
                        k += 1
                i = j + 1
                continue
            f = fg or DEFAULT_FG
            if dim:
                f = tuple(v // 2 for v in f)
            cells.append((c, f, bg or DEFAULT_BG, bold, rev, ul))
            i += 1
        cells = cells[:cols]
        while len(cells) < cols:
            cells.append((" ", DEFAULT_FG, DEFAULT_BG, False, False, False))
        grid.append(cells)
    while len(grid) < rows:
        grid.append([(" ", DEFAULT_FG, DEFAULT_BG, False, False, False)] * cols)
    return grid


def render(grid, font, bold_font):
    fw, fh = font.width, font.height
    width, height = len(grid[0]) * fw, len(grid) * fh
    raw = bytearray()
    for row in grid:
        lines = [bytearray() for _ in range(fh)]
        for ch, fg, bg, bold, rev, ul in row:
            if rev:
                fg, bg = bg, fg
            g = (bold_font if bold and bold_font else font).glyph(ch)
            for y in range(fh):
                bits = g[y * font.rowbytes:(y + 1) * font.rowbytes]
                out = lines[y]
                for x in range(fw):
                    on = bits[x // 8] & (0x80 >> (x % 8)) or (ul and y == fh - 1)
                    out += bytes(fg if on else bg)
        for line in lines:
            raw += b"\x00" + line
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


def main(argv):
    args, opts = [], {"--cols": "100", "--rows": "30", "--font": DEFAULT_FONT}
    it = iter(argv[1:])
    for a in it:
        if a in opts:
            opts[a] = next(it)
        else:
            args.append(a)
    if len(args) != 2:
        raise SystemExit(__doc__)
    text = open(args[0], encoding="utf-8", errors="replace").read()
    font = Font(opts["--font"])
    bold = Font(BOLD_FONT) if opts["--font"] == DEFAULT_FONT else None
    grid = parse(text, int(opts["--cols"]), int(opts["--rows"]))
    with open(args[1], "wb") as f:
        f.write(render(grid, font, bold))


if __name__ == "__main__":
    main(sys.argv)
