/// What a run loop gets from a terminal while it waits.
public enum TerminalEvent: Equatable, Sendable {
  case key(Key)
  /// Nothing arrived within the timeout.
  case timeout
  /// The terminal is gone (EIO, SIGHUP) or the program was asked to end (SIGTERM, SIGINT).
  case terminate(signal: Int32)
  /// A scripted input ran out (memory terminal).
  case closed
}

/// A place to show buffers and read keys: the ncurses terminal, or a memory terminal for tests
/// and headless rendering.
public protocol Terminal: AnyObject {
  /// Columns and rows.
  var size: (width: Int, height: Int) { get }
  /// True when the theme must not use colour (NO_COLOR, or no colour support).
  var isMonochrome: Bool { get }
  /// Waits up to `timeout` milliseconds (nil: for ever) for the next event.
  func next(timeout: Int?) -> TerminalEvent
  /// Shows a frame: only what changed since the last frame reaches the terminal.
  func flush(_ buffer: Buffer)
  /// Gives the terminal back (Ctrl-Z, or to run `$EDITOR`).
  func suspend()
  /// Takes it again after `suspend`, repainting everything.
  func resume()
  /// Opens a file in `$VISUAL` / `$EDITOR` with the terminal given back meanwhile.
  func edit(file: String)
}

/// A terminal in memory: keys come from a script, frames are kept.
public final class MemoryTerminal: Terminal {
  public var size: (width: Int, height: Int)
  public var isMonochrome: Bool
  public var pendingKeys: [Key]
  public private(set) var lastFrame: Buffer?
  public private(set) var frameCount = 0
  public private(set) var suspended = false

  public init(width: Int, height: Int, keys: [Key] = [], monochrome: Bool = false) {
    size = (width, height)
    pendingKeys = keys
    isMonochrome = monochrome
  }

  public func next(timeout: Int?) -> TerminalEvent {
    if pendingKeys.isEmpty { return .closed }
    let k = pendingKeys.removeFirst()
    if case .resize(let w, let h) = k { size = (w, h) }
    return .key(k)
  }

  /// When set, every frame is also encoded as a real terminal would get it (benchmarks, tests of
  /// the bytes): `lastOutput` holds the bytes of the last frame, `bytesWritten` the total.
  public var encoder: FrameEncoder?
  public private(set) var lastOutput: [UInt8] = []
  public private(set) var bytesWritten = 0

  public func flush(_ buffer: Buffer) {
    if encoder != nil {
      lastOutput.removeAll(keepingCapacity: true)
      encoder!.encode(buffer, since: lastFrame, into: &lastOutput)
      bytesWritten += lastOutput.count
    }
    lastFrame = buffer
    frameCount += 1
  }

  public func suspend() { suspended = true }
  public func resume() { suspended = false }

  /// What "editing" does headlessly (tests set it to change the file); by default nothing.
  public var editor: (String) -> Void = { _ in }
  public func edit(file: String) { editor(file) }
}
