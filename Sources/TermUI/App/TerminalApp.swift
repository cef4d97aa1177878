/// What an app asks the run loop to do after a key.
public enum AppCommand: Equatable, Sendable {
  case none
  case quit
  /// Ctrl-Z: give the terminal back to the shell until `fg`.
  case suspend
  /// Open a file in the user's `$VISUAL` / `$EDITOR` (the terminal is suspended meanwhile); the
  /// app's `edited(file:)` is called afterwards.
  case edit(file: String)
}

/// An application the run loop drives: keys in, frames out.
public protocol TerminalApp {
  /// Handles one key (resize included).
  mutating func handle(_ key: Key) -> AppCommand
  /// Draws the whole frame. Widgets record scroll positions in the app's state, hence `mutating`.
  mutating func draw(into buffer: inout Buffer, theme: Theme)
  /// How long to wait for a key before `tick` (milliseconds); nil waits for ever.
  var tickInterval: Int? { get }
  /// Periodic work (file watching); returns true when the frame must be redrawn.
  mutating func tick() -> Bool
  /// The program is being ended by a signal (SIGTERM, SIGHUP, SIGINT) or the terminal is gone.
  mutating func terminate(signal: Int32)
  /// The external editor asked for with `.edit(file:)` has finished.
  mutating func edited(file: String)
}

extension TerminalApp {
  public var tickInterval: Int? { nil }
  public mutating func tick() -> Bool { false }
  public mutating func terminate(signal: Int32) {}
  public mutating func edited(file: String) {}
}

/// Drives an app on a terminal: read a key, let the app handle it, draw the whole frame into a
/// fresh buffer, flush (only changed cells reach the terminal).
public enum RunLoop {
  /// The smallest size the apps draw in; below it, a "terminal too small" message.
  public static let minimumSize = (width: 20, height: 6)

  /// Runs until the app quits (returns 0) or a signal ends it (returns the signal number).
  @discardableResult
  public static func run<A: TerminalApp>(_ app: inout A, on terminal: Terminal, theme: Theme) -> Int32 {
    redraw(&app, terminal, theme)
    while true {
      switch terminal.next(timeout: app.tickInterval) {
      case .terminate(let signal):
        app.terminate(signal: signal)
        return signal
      case .closed:
        return 0
      case .timeout:
        if app.tick() { redraw(&app, terminal, theme) }
      case .key(let key):
        switch app.handle(key) {
        case .quit:
          return 0
        case .suspend:
          terminal.suspend()
          terminal.resume()
        case .edit(let file):
          terminal.edit(file: file)
          app.edited(file: file)
        case .none:
          break
        }
        redraw(&app, terminal, theme)
      }
    }
  }

  /// Draws one frame of the app at the terminal's size.
  public static func redraw<A: TerminalApp>(_ app: inout A, _ terminal: Terminal, _ theme: Theme) {
    let (w, h) = terminal.size
    terminal.flush(frame(&app, width: w, height: h, theme: theme))
  }

  public static func frame<A: TerminalApp>(_ app: inout A, width: Int, height: Int, theme: Theme) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    if width < minimumSize.width || height < minimumSize.height {
      let lines = [
        width >= 18 ? "terminal too small" : "too small", "\(width)x\(height), needs",
        "\(minimumSize.width)x\(minimumSize.height)",
      ]
      for (i, l) in lines.enumerated() where i < height {
        Label.draw(l, into: &buffer, area: Rect(x: 0, y: i, width: width, height: 1), style: theme.error)
      }
      return buffer
    }
    app.draw(into: &buffer, theme: theme)
    return buffer
  }

  /// Headless: runs the app on a memory terminal through a key script and returns the last frame.
  public static func render<A: TerminalApp>(_ app: inout A, width: Int, height: Int, keys: [Key], theme: Theme)
    -> Buffer
  {
    let terminal = MemoryTerminal(width: width, height: height, keys: keys, monochrome: theme.isMonochrome)
    run(&app, on: terminal, theme: theme)
    return terminal.lastFrame ?? frame(&app, width: width, height: height, theme: theme)
  }
}
