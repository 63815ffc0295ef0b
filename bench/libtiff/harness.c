/*
 * libtiff side of the ifax benchmark (bench/run.js builds and drives it).
 *
 * The codec is measured in-process and in memory: TIFFClientOpen on a growable memory
 * buffer, and only the TIFFWriteEncodedStrip / TIFFReadEncodedStrip calls are timed.
 * Everything else (TIFF set-up, directory writing) is outside the clock.
 *
 * Modes (all print one JSON object on stdout; exit 1 with a message on stderr on failure):
 *   version
 *   bench PAGE.pbm MH|MR|MMR YRES WARMUP REPS OUT.raw
 *       encode and decode PAGE, timing each; writes libtiff's strip to OUT.raw.
 *   verify RAW MH|MR|MMR YRES T4OPTIONS PAGE.pbm
 *       wrap RAW (another encoder's strip) in a TIFF, decode it with libtiff and compare
 *       with PAGE; any libtiff warning or error, or any differing pixel, is a failure.
 *   pbm2tiff IN.pbm OUT.tif XRES YRES
 *       multi-page P4 -> multi-page uncompressed bilevel TIFF (the tiffcp input).
 *   cmpdoc DOC.tif IN.pbm
 *       decode every page of DOC.tif with libtiff and compare with the pages of IN.pbm.
 *   readstrips DOC.tif DIR WARMUP REPS
 *       decode every strip of page DIR of a TIFF file (read into memory first) with
 *       TIFFReadEncodedStrip, timing the whole page: libtiff-written pages of many strips.
 *   exec LOG -- CMD ARGS...
 *       run CMD (stdout+stderr to LOG), report wall ms, peak RSS (wait4 ru_maxrss), status.
 *       Our stand-in for GNU time, which a fresh machine may lack.
 *
 * Build: cc -O2 -o bench/out/tiff-harness bench/libtiff/harness.c $(pkg-config --cflags --libs libtiff-4)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <tiffio.h>
#include <unistd.h>

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("tiff-harness: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- libtiff diagnostics: counted, so that "decoded with warnings" is a failure ---- */
static int g_diag_count = 0;
static char g_diag_first[512];

static void on_diag(const char *module, const char *fmt, va_list ap) {
  if (g_diag_count++ == 0) {
    int n = snprintf(g_diag_first, sizeof g_diag_first, "%s: ", module ? module : "libtiff");
    if (n < 0 || (size_t)n >= sizeof g_diag_first) n = 0;
    vsnprintf(g_diag_first + n, sizeof g_diag_first - n, fmt, ap);
  }
}

/* ---- memory "file" for TIFFClientOpen ---- */
typedef struct {
  uint8_t *buf;
  size_t size, cap, pos;
} MemFile;

static tmsize_t mem_read(thandle_t h, void *dst, tmsize_t n) {
  MemFile *m = (MemFile *)h;
  size_t avail = m->pos < m->size ? m->size - m->pos : 0;
  size_t k = (size_t)n < avail ? (size_t)n : avail;
  memcpy(dst, m->buf + m->pos, k);
  m->pos += k;
  return (tmsize_t)k;
}

static tmsize_t mem_write(thandle_t h, void *src, tmsize_t n) {
  MemFile *m = (MemFile *)h;
  size_t end = m->pos + (size_t)n;
  if (end > m->cap) {
    size_t cap = m->cap ? m->cap : 65536;
    while (cap < end) cap *= 2;
    uint8_t *b = realloc(m->buf, cap);
    if (!b) return -1;
    m->buf = b;
    m->cap = cap;
  }
  if (m->pos > m->size) memset(m->buf + m->size, 0, m->pos - m->size);
  memcpy(m->buf + m->pos, src, (size_t)n);
  m->pos = end;
  if (end > m->size) m->size = end;
  return n;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence) {
  MemFile *m = (MemFile *)h;
  int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)m->pos : (int64_t)m->size;
  int64_t p = base + (int64_t)off;
  if (p < 0) return (toff_t)-1;
  m->pos = (size_t)p;
  return (toff_t)p;
}

static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return ((MemFile *)h)->size; }
static int mem_map(thandle_t h, void **base, toff_t *size) {
  MemFile *m = (MemFile *)h;
  *base = m->buf;
  *size = m->size;
  return 1;
}
static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static TIFF *mem_open(MemFile *m, const char *mode) {
  m->pos = 0;
  if (mode[0] == 'w') m->size = 0;
  TIFF *t = TIFFClientOpen("mem", mode, (thandle_t)m, mem_read, mem_write, mem_seek, mem_close,
                           mem_size, mem_map, mem_unmap);
  if (!t) die("TIFFClientOpen(%s) failed: %s", mode, g_diag_first);
  return t;
}

/* ---- PBM (P4) pages ---- */
typedef struct {
  uint32_t width, height, stride;
  uint8_t *data; /* packed rows, MSB first, 1 = black: the TIFF MinIsWhite layout */
} Page;

static int pbm_token(FILE *f, uint32_t *out) {
  int c;
  do {
    c = fgetc(f);
    if (c == '#') while (c != '\n' && c != EOF) c = fgetc(f);
  } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (c < '0' || c > '9') return 0;
  uint32_t v = 0;
  while (c >= '0' && c <= '9') { v = v * 10 + (uint32_t)(c - '0'); c = fgetc(f); }
  *out = v; /* c is the single whitespace after the token */
  return 1;
}

/* Reads the next page into *p (reusing its buffer); 0 at end of file. */
static int pbm_next(FILE *f, Page *p, const char *name) {
  int c1 = fgetc(f);
  while (c1 == ' ' || c1 == '\n' || c1 == '\r' || c1 == '\t') c1 = fgetc(f);
  if (c1 == EOF) return 0;
  int c2 = fgetc(f);
  if (c1 != 'P' || c2 != '4') die("%s: not a raw PBM (P4) image", name);
  uint32_t w, h;
  if (!pbm_token(f, &w) || !pbm_token(f, &h) || w == 0 || h == 0) die("%s: bad PBM header", name);
  uint32_t stride = (w + 7) / 8;
  if (!p->data || (size_t)p->stride * p->height < (size_t)stride * h) {
    free(p->data);
    p->data = malloc((size_t)stride * h);
    if (!p->data) die("out of memory");
  }
  p->width = w; p->height = h; p->stride = stride;
  if (fread(p->data, 1, (size_t)stride * h, f) != (size_t)stride * h) die("%s: truncated PBM", name);
  return 1;
}

static Page pbm_load(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("%s: %s", path, strerror(errno));
  Page p = {0};
  if (!pbm_next(f, &p, path)) die("%s: empty", path);
  fclose(f);
  return p;
}

static uint8_t *file_load(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die("%s: %s", path, strerror(errno));
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) die("%s: read failed", path);
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* First differing row, or -1. Pad bits beyond the width are ignored. */
static long first_diff_row(const Page *p, const uint8_t *got) {
  uint8_t lastmask = (uint8_t)(0xFF << ((8 - p->width % 8) % 8));
  for (uint32_t y = 0; y < p->height; y++) {
    const uint8_t *a = p->data + (size_t)y * p->stride, *b = got + (size_t)y * p->stride;
    if (memcmp(a, b, p->stride - 1) != 0) return (long)y;
    if ((a[p->stride - 1] ^ b[p->stride - 1]) & lastmask) return (long)y;
  }
  return -1;
}

static uint16_t compression_of(const char *coding) {
  if (!strcmp(coding, "MH") || !strcmp(coding, "MR")) return COMPRESSION_CCITTFAX3;
  if (!strcmp(coding, "MMR")) return COMPRESSION_CCITTFAX4;
  die("unknown coding \"%s\" (MH, MR or MMR)", coding);
  return 0;
}

/* One single-strip bilevel page. libtiff picks K from YResolution: > 150 lpi gives K = 4. */
static void set_page_fields(TIFF *t, uint32_t w, uint32_t h, const char *coding, double yres,
                            uint32_t t4opts) {
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
  TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
  TIFFSetField(t, TIFFTAG_XRESOLUTION, yres > 300 ? yres : 204.0);
  TIFFSetField(t, TIFFTAG_YRESOLUTION, yres);
  TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  uint16_t comp = compression_of(coding);
  TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
  if (comp == COMPRESSION_CCITTFAX3) TIFFSetField(t, TIFFTAG_GROUP3OPTIONS, t4opts);
}

static uint32_t t4_for(const char *coding) {
  return strcmp(coding, "MR") == 0 ? GROUP3OPT_2DENCODING : 0;
}

static void print_ms_array(const char *name, const double *v, int n) {
  printf("\"%s\":[", name);
  for (int i = 0; i < n; i++) printf("%s%.4f", i ? "," : "", v[i]);
  printf("]");
}

static int mode_bench(int argc, char **argv) {
  if (argc != 8) die("usage: bench PAGE.pbm MH|MR|MMR YRES WARMUP REPS OUT.raw");
  Page p = pbm_load(argv[2]);
  const char *coding = argv[3];
  double yres = atof(argv[4]);
  int warm = atoi(argv[5]), reps = atoi(argv[6]);
  if (reps < 1 || warm < 0) die("bad WARMUP/REPS");
  size_t raw = (size_t)p.stride * p.height;
  double *enc = calloc((size_t)reps, sizeof(double)), *dec = calloc((size_t)reps, sizeof(double));

  /* Preallocated so that growing the "file" is never inside the clock. */
  MemFile m = {0};
  m.cap = raw * 3 + (1 << 20);
  m.buf = malloc(m.cap);
  if (!m.buf) die("out of memory");
  memset(m.buf, 0, m.cap);

  for (int i = 0; i < warm + reps; i++) {
    TIFF *t = mem_open(&m, "w");
    set_page_fields(t, p.width, p.height, coding, yres, t4_for(coding));
    double t0 = now_ms();
    tmsize_t r = TIFFWriteEncodedStrip(t, 0, p.data, (tmsize_t)raw);
    double t1 = now_ms();
    if (r < 0) die("TIFFWriteEncodedStrip failed: %s", g_diag_first);
    TIFFClose(t); /* writes G3's RTC and the directory: outside the clock */
    if (i >= warm) enc[i - warm] = t1 - t0;
  }

  uint8_t *out = malloc(raw);
  memset(out, 0xAA, raw); /* touch the pages before the clock runs */
  TIFF *t = mem_open(&m, "r");
  uint64_t *bc = NULL;
  TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &bc);
  uint64_t bytes = bc ? bc[0] : 0;
  int diags_before = g_diag_count;
  for (int i = 0; i < warm + reps; i++) {
    double t0 = now_ms();
    tmsize_t r = TIFFReadEncodedStrip(t, 0, out, (tmsize_t)raw);
    double t1 = now_ms();
    if (r != (tmsize_t)raw) die("TIFFReadEncodedStrip returned %ld of %zu bytes: %s", (long)r, raw, g_diag_first);
    if (i >= warm) dec[i - warm] = t1 - t0;
  }
  if (g_diag_count != diags_before) die("libtiff decode of its own %s strip: %s", coding, g_diag_first);
  long bad = first_diff_row(&p, out);
  if (bad >= 0) die("libtiff %s round trip differs at row %ld", coding, bad);

  uint8_t *strip = malloc(bytes ? bytes : 1);
  if (TIFFReadRawStrip(t, 0, strip, (tmsize_t)bytes) != (tmsize_t)bytes) die("TIFFReadRawStrip failed");
  TIFFClose(t);
  FILE *f = fopen(argv[7], "wb");
  if (!f || fwrite(strip, 1, bytes, f) != bytes || fclose(f) != 0) die("%s: write failed", argv[7]);

  printf("{\"width\":%u,\"height\":%u,\"bytes\":%llu,", p.width, p.height, (unsigned long long)bytes);
  print_ms_array("encodeMs", enc, reps);
  printf(",");
  print_ms_array("decodeMs", dec, reps);
  printf("}\n");
  return 0;
}

static int mode_verify(int argc, char **argv) {
  if (argc != 7) die("usage: verify RAW MH|MR|MMR YRES T4OPTIONS PAGE.pbm");
  size_t len;
  uint8_t *data = file_load(argv[2], &len);
  const char *coding = argv[3];
  Page p = pbm_load(argv[6]);
  MemFile m = {0};
  TIFF *t = mem_open(&m, "w");
  set_page_fields(t, p.width, p.height, coding, atof(argv[4]), (uint32_t)strtoul(argv[5], NULL, 0));
  if (TIFFWriteRawStrip(t, 0, data, (tmsize_t)len) < 0) die("TIFFWriteRawStrip failed");
  TIFFClose(t);
  g_diag_count = 0;
  t = mem_open(&m, "r");
  size_t raw = (size_t)p.stride * p.height;
  uint8_t *out = calloc(raw, 1);
  tmsize_t r = TIFFReadEncodedStrip(t, 0, out, (tmsize_t)raw);
  TIFFClose(t);
  long bad = first_diff_row(&p, out);
  printf("{\"ok\":%s,\"bytes\":%zu,\"decoded\":%ld,\"firstBadRow\":%ld,\"libtiffMessages\":%d,\"firstMessage\":\"",
         (r == (tmsize_t)raw && bad < 0 && g_diag_count == 0) ? "true" : "false", len, (long)r, bad, g_diag_count);
  for (const char *s = g_diag_first; g_diag_count && *s; s++) {
    if (*s == '"' || *s == '\\') putchar('\\');
    putchar(*s >= ' ' ? *s : ' ');
  }
  printf("\"}\n");
  return (r == (tmsize_t)raw && bad < 0 && g_diag_count == 0) ? 0 : 1;
}

static int mode_pbm2tiff(int argc, char **argv) {
  if (argc != 6) die("usage: pbm2tiff IN.pbm OUT.tif XRES YRES");
  FILE *f = fopen(argv[2], "rb");
  if (!f) die("%s: %s", argv[2], strerror(errno));
  TIFF *t = TIFFOpen(argv[3], "w"); /* 50 uncompressed 600-dpi pages: 218 MB, classic TIFF */
  if (!t) die("%s: cannot create", argv[3]);
  Page p = {0};
  int pages = 0;
  while (pbm_next(f, &p, argv[2])) {
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, p.width);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, p.height);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(t, 0));
    TIFFSetField(t, TIFFTAG_XRESOLUTION, atof(argv[4]));
    TIFFSetField(t, TIFFTAG_YRESOLUTION, atof(argv[5]));
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    for (uint32_t y = 0; y < p.height; y++)
      if (TIFFWriteScanline(t, p.data + (size_t)y * p.stride, y, 0) < 0) die("TIFFWriteScanline failed");
    if (!TIFFWriteDirectory(t)) die("TIFFWriteDirectory failed");
    pages++;
  }
  TIFFClose(t);
  fclose(f);
  printf("{\"pages\":%d}\n", pages);
  return 0;
}

static int mode_cmpdoc(int argc, char **argv) {
  if (argc != 4) die("usage: cmpdoc DOC.tif IN.pbm");
  TIFF *t = TIFFOpen(argv[2], "r");
  if (!t) die("%s: cannot open: %s", argv[2], g_diag_first);
  FILE *f = fopen(argv[3], "rb");
  if (!f) die("%s: %s", argv[3], strerror(errno));
  Page p = {0};
  int page = 0;
  uint8_t *got = NULL;
  size_t gotcap = 0;
  do {
    if (!pbm_next(f, &p, argv[3])) die("%s has more pages than %s (%d)", argv[2], argv[3], page);
    page++;
    uint32_t w = 0, h = 0;
    uint16_t photometric = PHOTOMETRIC_MINISWHITE, bps = 1;
    TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photometric);
    if (w != p.width || h != p.height || bps != 1)
      die("page %d: %ux%u (%u bit) in %s, %ux%u in %s", page, w, h, bps, argv[2], p.width, p.height, argv[3]);
    size_t raw = (size_t)p.stride * p.height;
    if (gotcap < raw) { free(got); got = malloc(raw); gotcap = raw; }
    size_t off = 0;
    g_diag_count = 0;
    for (tstrip_t s = 0; s < TIFFNumberOfStrips(t); s++) {
      tmsize_t r = TIFFReadEncodedStrip(t, s, got + off, (tmsize_t)(raw - off));
      if (r < 0) die("page %d strip %u: %s", page, s, g_diag_first);
      off += (size_t)r;
    }
    if (off != raw || g_diag_count) die("page %d: libtiff decoded %zu of %zu bytes; %s", page, off, raw, g_diag_count ? g_diag_first : "");
    if (photometric == PHOTOMETRIC_MINISBLACK)
      for (size_t i = 0; i < raw; i++) got[i] = (uint8_t)~got[i];
    long bad = first_diff_row(&p, got);
    if (bad >= 0) die("page %d differs from the input at row %ld", page, bad);
  } while (TIFFReadDirectory(t));
  if (pbm_next(f, &p, argv[3])) die("%s has fewer pages than %s (%d)", argv[2], argv[3], page);
  TIFFClose(t);
  fclose(f);
  printf("{\"ok\":true,\"pages\":%d}\n", page);
  return 0;
}

static int mode_readstrips(int argc, char **argv) {
  if (argc != 6) die("usage: readstrips DOC.tif DIR WARMUP REPS");
  int dir = atoi(argv[3]), warm = atoi(argv[4]), reps = atoi(argv[5]);
  if (reps < 1 || warm < 0 || dir < 0) die("bad DIR/WARMUP/REPS");
  MemFile m = {0};
  m.buf = file_load(argv[2], &m.size);
  m.cap = m.size;
  TIFF *t = mem_open(&m, "r");
  if (!TIFFSetDirectory(t, (tdir_t)dir)) die("%s: no page %d", argv[2], dir);
  uint32_t w = 0, h = 0;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
  size_t raw = (size_t)((w + 7) / 8) * h;
  uint8_t *out = malloc(raw);
  memset(out, 0xAA, raw); /* touch the pages before the clock runs */
  tstrip_t strips = TIFFNumberOfStrips(t);
  double *dec = calloc((size_t)reps, sizeof(double));
  int diags_before = g_diag_count;
  for (int i = 0; i < warm + reps; i++) {
    size_t off = 0;
    double t0 = now_ms();
    for (tstrip_t s = 0; s < strips; s++) {
      tmsize_t r = TIFFReadEncodedStrip(t, s, out + off, (tmsize_t)(raw - off));
      if (r < 0) die("strip %u: %s", s, g_diag_first);
      off += (size_t)r;
    }
    double t1 = now_ms();
    if (off != raw) die("libtiff decoded %zu of %zu bytes", off, raw);
    if (i >= warm) dec[i - warm] = t1 - t0;
  }
  if (g_diag_count != diags_before) die("libtiff decode of %s: %s", argv[2], g_diag_first);
  TIFFClose(t);
  printf("{\"width\":%u,\"height\":%u,\"strips\":%u,", w, h, strips);
  print_ms_array("decodeMs", dec, reps);
  printf("}\n");
  return 0;
}

static int mode_exec(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--")) die("usage: exec LOG -- CMD ARGS...");
  int log = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log < 0) die("%s: %s", argv[2], strerror(errno));
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    dup2(log, 1);
    dup2(log, 2);
    execvp(argv[4], argv + 4);
    fprintf(stderr, "exec %s: %s\n", argv[4], strerror(errno));
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) die("wait4: %s", strerror(errno));
  double t1 = now_ms();
  printf("{\"ms\":%.3f,\"maxRssKb\":%ld,\"userMs\":%.1f,\"sysMs\":%.1f,\"status\":%d}\n", t1 - t0, ru.ru_maxrss,
         ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3, ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3,
         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return 0;
}

int main(int argc, char **argv) {
  TIFFSetErrorHandler(on_diag);
  TIFFSetWarningHandler(on_diag);
  if (argc < 2) die("usage: version | bench | verify | pbm2tiff | cmpdoc | readstrips | exec");
  if (!strcmp(argv[1], "version")) {
    const char *v = TIFFGetVersion();
    printf("{\"libtiff\":\"");
    for (const char *s = v; *s && *s != '\n'; s++) if (*s != '"' && *s != '\\') putchar(*s);
    printf("\"}\n");
    return 0;
  }
  if (!strcmp(argv[1], "bench")) return mode_bench(argc, argv);
  if (!strcmp(argv[1], "verify")) return mode_verify(argc, argv);
  if (!strcmp(argv[1], "pbm2tiff")) return mode_pbm2tiff(argc, argv);
  if (!strcmp(argv[1], "cmpdoc")) return mode_cmpdoc(argc, argv);
  if (!strcmp(argv[1], "exec")) return mode_exec(argc, argv);
  if (!strcmp(argv[1], "readstrips")) return mode_readstrips(argc, argv);
  die("unknown mode \"%s\"", argv[1]);
  return 1;
}
