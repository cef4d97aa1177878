import FoundationEssentials
import Synchronization

/// One step of a path into a TOML document: a key, or an index into an array.
public enum PathSegment: Hashable, Sendable, CustomStringConvertible {
  case key(String)
  case index(Int)

  public var description: String {
    switch self {
    case .key(let k): return TOMLWriter.formatKey(k)
    case .index(let i): return "[\(i)]"
    }
  }
}

/// A place in a file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Hashable, Sendable {
  public var line: Int
  public var column: Int
  /// The order in which the scanner met the key, used to restore the file's key order.
  var order: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
    self.order = 0
  }

  init(line: Int, column: Int, order: Int) {
    self.line = line
    self.column = column
    self.order = order
  }
}

/// Where each key of a (valid) TOML document stands: the line and column of every key, table
/// header and array element, so that validation can say `file:line:col`.
///
/// Loading a file does not compute it: a map made by the parser keeps the file's bytes and parses
/// them again for the places the first time one is asked for (only when there is something to
/// report), then keeps the result.
public struct SourceMap: Sendable {
  private final class Lazy: Sendable {
    let data: Data
    let positions = Mutex<[[PathSegment]: SourcePosition]?>(nil)
    init(_ data: Data) { self.data = data }

    var table: [[PathSegment]: SourcePosition] {
      positions.withLock { p in
        if let p { return p }
        let made = TOMLParser.positions(data)
        p = made
        return made
      }
    }
  }

  private let lazy: Lazy?

  public init() { lazy = nil }

  init(lazy data: Data) { lazy = Lazy(data) }

  /// Scans the text now (a text that does not parse gives the places up to the error).
  public init(scanning text: String) {
    let l = Lazy(Data(text.utf8))
    _ = l.table
    lazy = l
  }

  /// The place of `path`, or of its longest prefix that has one.
  public func position(of path: [PathSegment]) -> SourcePosition? {
    guard let table = lazy?.table else { return nil }
    var p = path[...]
    while true {
      if let found = table[Array(p)] { return found }
      if p.isEmpty { return nil }
      p = p.dropLast()
    }
  }

  /// The place of exactly `path`, if the parser saw it.
  public func exactPosition(of path: [PathSegment]) -> SourcePosition? { lazy?.table[path] }
}
