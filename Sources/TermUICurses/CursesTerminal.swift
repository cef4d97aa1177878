import CNcurses
import FoundationEssentials
import Synchronization
import TermUI

#if canImport(Glibc)
  import Glibc
#endif

/// The signal that asked the program to end (0: none). A signal handler only stores into it; the
/// loop reads it, restores the terminal and exits (nothing unsafe runs inside the handler).
let pendingSignal = Atomic<Int32>(0)

/// The real terminal, over ncursesw.
///
/// - `newterm`, never `initscr`: a missing or unknown TERM is an error the caller reports.
/// - raw, noecho, keypad, ESC delay 25 ms; colours with the terminal's default background; the
///   monochrome theme with `NO_COLOR` or without colour support.
/// - keys with `wget_wch`: function keys, `KEY_RESIZE`, Shift-Tab, Ctrl keys, Esc vs Alt, and
///   bracketed paste delivered as one key.
/// - `flush` writes only the cells that changed since the last frame (after a resize, everything),
///   encoded by `FrameEncoder` and written in one piece; curses only draws on a terminal whose
///   cursor addressing is not ECMA-48.
/// - Keys that arrive faster than frames (a held key over a laggy ssh link delivers them in
///   clumps; a paste) do not each cost a frame: while more input is already waiting, a frame is
///   held back and the next one replaces it, so only the state after the clump is written — at
///   least every `holdLimit` frames or `holdTime`, so that the screen keeps moving under a
///   steady stream.
/// - SIGINT, SIGTERM, SIGHUP set a flag; EIO on the terminal ends the program the same way.
public final class CursesTerminal: Terminal {
  public struct StartError: Error, CustomStringConvertible {
    public var description: String
  }

  private let screen: OpaquePointer
  private var last: Buffer?
  /// A frame not written yet because input was waiting (see the type's notes).
  private var held: Buffer?
  private var heldCount = 0
  private var heldSince: ContinuousClock.Instant?
  static let holdLimit = 32
  static let holdTime = Duration.milliseconds(100)
  private var pairs: [Int: Int32] = [:]
  private var nextPair: Int32 = 1
  private let colorPairLimit: Int32
  public let isMonochrome: Bool
  private var restored = false
  private let pasteStart: Int32 = 0x1000 + 1
  private let pasteEnd: Int32 = 0x1000 + 2
  private var ctrlLeftCode: Int32 = -1
  private var ctrlRightCode: Int32 = -1
  /// Our own output (one write a frame, few bytes); nil on a terminal whose cursor addressing is
  /// not ECMA-48, which curses then draws.
  private var encoder: FrameEncoder?
  private var output: [UInt8] = []

  public init(environment: [String: String]) throws(StartError) {
    let term = environment["TERM"] ?? ""
    guard !term.isEmpty else { throw StartError(description: "TERM is not set: cannot drive the terminal") }
    guard isatty(0) != 0, isatty(1) != 0 else {
      throw StartError(description: "standard input and output must be a terminal")
    }
    // The character set only (curses needs it for wide characters). The other categories are not
    // wanted: numbers are read and written by Swift, the messages are English (strerror's too);
    // and loading all of them read a dozen files at start (0.22 ms, against 0.09 for this one).
    setlocale(LC_CTYPE, "")
    // Handlers first: a signal that arrives while curses starts must not kill us half set up.
    Self.installSignalHandlers()
    guard let s = dramatis_newterm() else {
      throw StartError(description: "unknown terminal type \"\(term)\" (TERM): no terminfo entry for it")
    }
    screen = s
    set_term(s)
    // A terminal that cannot move the cursor (TERM=dumb) cannot show a full-screen program.
    let cup = tigetstr("cup")
    if cup == nil || Int(bitPattern: cup) == -1 {
      endwin()
      delscreen(s)
      throw StartError(
        description: "terminal type \"\(term)\" cannot position the cursor; run in a terminal such as xterm-256color")
    }
    raw()
    noecho()
    nonl()
    keypad(dramatis_stdscr(), true)
    set_escdelay(25)
    // No typeahead check inside doupdate: ncurses flushed its output before every check (one
    // write per few cells, ~25 writes a frame); now a frame is one write.
    typeahead(-1)
    curs_set(0)
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      isMonochrome = false
      colorPairLimit = Int32(min(dramatis_color_pairs(), 32767))
    } else {
      isMonochrome = true
      colorPairLimit = 0
    }
    encoder = Self.frameEncoder(monochrome: isMonochrome, environment: environment)
    // curses paints its blank screen now (alternate screen, clear), so that it has nothing to
    // draw later: stdscr stays untouched, and reading a key never refreshes over our frames.
    wnoutrefresh(dramatis_stdscr())
    doupdate()
    define_key("\u{1B}[200~", pasteStart)
    define_key("\u{1B}[201~", pasteEnd)
    if let seq = tigetstr("kLFT5"), Int(bitPattern: seq) > 0 { ctrlLeftCode = key_defined(seq) }
    if let seq = tigetstr("kRIT5"), Int(bitPattern: seq) > 0 { ctrlRightCode = key_defined(seq) }
    dramatis_write_raw("\u{1B}[?2004h")
  }

  deinit { restore() }

  /// The encoder for this terminal, from its terminfo entry (nil: let curses draw).
  static func frameEncoder(monochrome: Bool, environment: [String: String]) -> FrameEncoder? {
    func has(_ cap: String) -> Bool {
      guard let p = tigetstr(cap), Int(bitPattern: p) > 0 else { return false }
      return true
    }
    guard let cup = tigetstr("cup"), Int(bitPattern: cup) > 0, String(cString: cup).hasPrefix("\u{1B}[") else {
      return nil
    }
    // `cud1` as a line feed: with `nonl` (set in `init`) the tty leaves it a line feed.
    let cud1 = tigetstr("cud1")
    let lineFeed = cud1.map { Int(bitPattern: $0) > 0 && String(cString: $0) == "\n" } ?? false
    // Tabs as moves on ncurses' terms: `ht` is ^I with stops every 8 that can be set (`tbc`,
    // `hts`), not the `xt` glitch, and not turned off by NCURSES_NO_HARD_TABS. curses removes
    // `ht` from the entry when the tty expands tabs into spaces (its `def_shell_mode`).
    let ht = tigetstr("ht")
    let tabs =
      (ht.map { Int(bitPattern: $0) > 0 && String(cString: $0) == "\t" } ?? false)
      && tigetnum("it") == 8 && has("tbc") && has("hts") && tigetflag("xt") <= 0
      && environment["NCURSES_NO_HARD_TABS"] == nil
    let features = TerminalFeatures(
      colors: monochrome ? 0 : Int(dramatis_colors()), eraseCharacters: has("ech"),
      absoluteColumnAndRow: has("hpa") && has("vpa"), clearToEndOfLine: has("el"),
      pendingWrap: tigetflag("xenl") > 0, backgroundColorErase: tigetflag("bce") > 0, lineFeedMovesDown: lineFeed,
      hardTabs: tabs)
    return FrameEncoder(features: features, monochrome: monochrome)
  }

  static func installSignalHandlers() {
    var set = sigset_t()
    sigemptyset(&set)
    // Every signal whose default ends the process: the loop restores the terminal and keeps the
    // unsaved edits as drafts, whichever one came (SIGPIPE is ignored: a write to a terminal that
    // is gone fails instead, and the loop ends as for SIGHUP).
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM] {
      dramatis_on_signal(sig) { s in pendingSignal.store(s, ordering: .relaxed) }
      sigaddset(&set, sig)
    }
    // A parent may have started us with these blocked (the mask is inherited): unblock them.
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    signal(SIGPIPE, SIG_IGN)
  }

  public var size: (width: Int, height: Int) {
    (Int(dramatis_getmaxx(dramatis_stdscr())), Int(dramatis_getmaxy(dramatis_stdscr())))
  }

  // MARK: Input

  public func next(timeout: Int?) -> TerminalEvent {
    while true {
      let sig = pendingSignal.load(ordering: .relaxed)
      if sig != 0 { return .terminate(signal: sig) }
      // No more input waiting: the frame held back is the one to show before waiting.
      if let frame = held, !Self.inputWaiting() { show(frame) }
      // Waiting "for ever" still wakes once a second, so that a signal is never missed even where
      // a read is restarted after it (one wake-up a second costs no measurable CPU).
      wtimeout(dramatis_stdscr(), Int32(timeout ?? 1000))
      var ch: wint_t = 0
      errno = 0
      let r = wget_wch(dramatis_stdscr(), &ch)
      if r == ERR {
        let e = errno
        let sig = pendingSignal.load(ordering: .relaxed)
        if sig != 0 { return .terminate(signal: sig) }
        if e == EIO || e == ENXIO || e == EBADF { return .terminate(signal: SIGHUP) }
        if e == EINTR { continue }
        if isatty(0) == 0 { return .terminate(signal: SIGHUP) }  // the terminal is gone
        if timeout != nil { return .timeout }
        continue
      }
      if r == KEY_CODE_YES {
        if let key = functionKey(Int32(ch)) { return .key(key) }
        continue
      }
      return .key(character(UInt32(ch)))
    }
  }

  private func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_BTAB: return .backTab
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_IC: return .insert
    case KEY_ENTER: return .enter
    case KEY_RESIZE:
      last = nil  // repaint everything: no stale cells
      held = nil  // a frame of the old size
      if encoder != nil {
        // curses has resized its windows: let it paint them now, not over our next frame.
        wnoutrefresh(dramatis_stdscr())
        doupdate()
        encoder?.invalidate()
      }
      let (w, h) = size
      return .resize(width: w, height: h)
    case pasteStart: return .paste(readPaste())
    case pasteEnd: return nil
    case ctrlLeftCode: return .ctrlLeft
    case ctrlRightCode: return .ctrlRight
    default:
      let f0 = Int32(dramatis_key_f0())
      if code > f0 && code <= f0 + 63 { return .function(Int(code - f0)) }
      return nil
    }
  }

  private func character(_ v: UInt32) -> Key {
    switch v {
    case 9: return .tab
    case 10, 13: return .enter
    case 8, 127: return .backspace
    case 27:
      // Esc alone, or Alt + a key: the next key is already there.
      wtimeout(dramatis_stdscr(), 0)
      var next: wint_t = 0
      let r = wget_wch(dramatis_stdscr(), &next)
      if r == OK, let u = Unicode.Scalar(UInt32(next)), next >= 0x20, next != 127 { return .alt(Character(u)) }
      if r == KEY_CODE_YES, let k = functionKey(Int32(next)) { return k }
      return .escape
    case 0: return .ctrl(" ")
    case 1...26: return .ctrl(Character(Unicode.Scalar(v + 96)!))
    case 28...31: return .ctrl(Character(Unicode.Scalar(v + 64)!))
    default: return .char(Character(Unicode.Scalar(v) ?? "\u{FFFD}"))
    }
  }

  /// Reads a bracketed paste until its end marker (or a pause of a second).
  private func readPaste() -> String {
    var text = String.UnicodeScalarView()
    wtimeout(dramatis_stdscr(), 1000)
    while true {
      var ch: wint_t = 0
      let r = wget_wch(dramatis_stdscr(), &ch)
      if r == ERR { break }
      if r == KEY_CODE_YES {
        if Int32(ch) == pasteEnd { break }
        continue
      }
      if ch == 13 {
        text.append("\n")
      } else if let u = Unicode.Scalar(UInt32(ch)) {
        text.append(u)
      }
    }
    return String(text)
  }

  // MARK: Output

  public func flush(_ buffer: Buffer) {
    if Self.inputWaiting() && heldCount < Self.holdLimit
      && (heldSince.map { ContinuousClock.now - $0 < Self.holdTime } ?? true)
    {
      held = buffer
      heldCount += 1
      if heldSince == nil { heldSince = .now }
      return
    }
    show(buffer)
  }

  /// Whether a byte of input is waiting to be read (a `poll` that does not wait).
  static func inputWaiting() -> Bool {
    var fd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
    return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
  }

  /// Writes a frame (the changes since the last one written).
  private func show(_ buffer: Buffer) {
    held = nil
    heldCount = 0
    heldSince = nil
    if encoder != nil {
      output.removeAll(keepingCapacity: true)
      encoder!.encode(buffer, since: last, into: &output)
      writeAll(output)
      last = buffer
      return
    }
    let win = dramatis_stdscr()
    let (w, h) = size
    let full = last == nil || last!.width != buffer.width || last!.height != buffer.height
    if full { werase(win) }
    let changed = buffer.changedCells(since: full ? nil : last)
    var wide = [wchar_t](repeating: 0, count: 8)
    for i in changed {
      let x = i % buffer.width
      let y = i / buffer.width
      guard x < w, y < h else { continue }
      let cell = buffer.cells[i]
      if cell.isContinuation { continue }
      var n = 0
      for u in cell.text.unicodeScalars where n < 5 {
        wide[n] = wchar_t(bitPattern: u.value)
        n += 1
      }
      if n == 0 {
        wide[0] = 32
        n = 1
      }
      wide[n] = 0
      let (attrs, pair) = attributes(cell.style)
      _ = dramatis_put_cell(win, Int32(y), Int32(x), &wide, attrs, pair)
    }
    if full { clearok(win, true) }
    wnoutrefresh(win)
    doupdate()
    last = buffer
  }

  /// One write a frame (more only when the terminal takes less at a time).
  private func writeAll(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(1, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
          continue
        } else {
          return  // the terminal is gone; the next read reports it
        }
      }
    }
  }

  private func attributes(_ style: Style) -> (attr_t, Int32) {
    var a = dramatis_a_normal()
    if style.attributes.contains(.bold) { a |= dramatis_a_bold() }
    if style.attributes.contains(.dim) { a |= dramatis_a_dim() }
    if style.attributes.contains(.reverse) { a |= dramatis_a_reverse() }
    if style.attributes.contains(.underline) { a |= dramatis_a_underline() }
    guard !isMonochrome, style.fg != .default || style.bg != .default else { return (a, 0) }
    let key = (style.fg.number + 1) * 1000 + (style.bg.number + 1)
    if let p = pairs[key] { return (a, p) }
    guard nextPair < colorPairLimit else { return (a, 0) }
    let p = nextPair
    nextPair += 1
    init_extended_pair(p, Int32(style.fg.number), Int32(style.bg.number))
    pairs[key] = p
    return (a, p)
  }

  // MARK: Suspend, resume, restore

  public func suspend() {
    dramatis_write_raw("\u{1B}[0m\u{1B}[?2004l")
    def_prog_mode()
    endwin()
    signal(SIGTSTP, SIG_DFL)
    kill(getpid(), SIGTSTP)
  }

  public func resume() {
    reset_prog_mode()
    if encoder != nil {
      // Back to the alternate screen, keypad mode: curses does that on its next refresh.
      clearok(dramatis_stdscr(), true)
      wnoutrefresh(dramatis_stdscr())
      doupdate()
      encoder?.invalidate()
    }
    dramatis_write_raw("\u{1B}[?2004h")
    last = nil
    held = nil
  }

  /// Gives the terminal back as it was (cooked mode, echo, cursor). Safe to call twice.
  public func restore() {
    guard !restored else { return }
    restored = true
    dramatis_write_raw("\u{1B}[0m\u{1B}[?2004l")
    curs_set(1)
    endwin()
    delscreen(screen)
  }

  /// Runs `$VISUAL`, else `$EDITOR`, else `vi` on the file, with curses suspended.
  public func edit(file: String) {
    let env = ProcessInfo.processInfo.environment
    let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
    withSuspended {
      var pid: pid_t = 0
      let argv = ["/bin/sh", "-c", editor + " \"$1\"", "sh", file]
      var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
      defer { for a in cArgs { free(a) } }
      if posix_spawn(&pid, "/bin/sh", nil, nil, &cArgs, environ) == 0 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      }
    }
  }

  /// Suspends curses around `body` (to run `$EDITOR`), then repaints.
  public func withSuspended<T>(_ body: () throws -> T) rethrows -> T {
    dramatis_write_raw("\u{1B}[0m\u{1B}[?2004l")
    def_prog_mode()
    endwin()
    defer { resume() }
    return try body()
  }
}
