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
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import (or may not touch in Swift 6 mode) are wrapped here.
static inline WINDOW *dramatis_stdscr(void) { return stdscr; }
static inline int dramatis_colors(void) { return COLORS; }
static inline int dramatis_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t dramatis_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline int dramatis_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int dramatis_getmaxx(WINDOW *w) { return getmaxx(w); }
#endif
