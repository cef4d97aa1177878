#ifndef DRAMATIS_CNCURSES_SHIM_H
#define DRAMATIS_CNCURSES_SHIM_H
// Wide-character ncurses: these must be defined before curses.h is included.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import (or may not touch in Swift 6 mode) are wrapped here.
static inline WINDOW *dramatis_stdscr(void) { return stdscr; }
static inline WINDOW *dramatis_curscr(void) { return curscr; }
static inline int dramatis_colors(void) { return COLORS; }
static inline int dramatis_color_pairs(void) { return COLOR_PAIRS; }
static inline int dramatis_lines(void) { return LINES; }
static inline int dramatis_cols(void) { return COLS; }
static inline int dramatis_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int dramatis_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline int dramatis_key_f0(void) { return KEY_F0; }

static inline attr_t dramatis_a_normal(void) { return A_NORMAL; }
static inline attr_t dramatis_a_bold(void) { return A_BOLD; }
static inline attr_t dramatis_a_dim(void) { return A_DIM; }
static inline attr_t dramatis_a_reverse(void) { return A_REVERSE; }
static inline attr_t dramatis_a_underline(void) { return A_UNDERLINE; }

/// Draws one cell: up to 5 wide characters (a grapheme with its combining marks), attributes and
/// an (extended) colour pair.
static inline int dramatis_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, int pair) {
  cchar_t cc;
  if (setcchar(&cc, text, attrs, 0, &pair) != OK) return ERR;
  return mvwadd_wch(w, y, x, &cc);
}

/// Installs a signal handler without SA_RESTART, so that a blocking read returns EINTR and the
/// loop sees the signal at once.
static inline int dramatis_on_signal(int sig, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  return sigaction(sig, &sa, NULL);
}

/// newterm on the process's standard output and input.
static inline SCREEN *dramatis_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Writes raw control text to the terminal (bracketed paste on/off), after curses' own output.
static inline void dramatis_write_raw(const char *s) {
  fputs(s, stdout);
  fflush(stdout);
}
#endif
