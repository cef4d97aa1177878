import SnapshotTesting
import TermUI

extension Snapshotting where Value == Buffer, Format == String {
  /// The text grid of a buffer plus its attribute layer (see `Buffer.snapshot`), compared by lines.
  static var buffer: Snapshotting<Buffer, String> {
    Snapshotting<String, String>.lines.pullback { $0.snapshot }
  }
}

/// A buffer of the given size with a widget drawn into it.
func draw(_ width: Int, _ height: Int, _ body: (inout Buffer) -> Void) -> Buffer {
  var b = Buffer(width: width, height: height)
  body(&b)
  return b
}

/// A list source that counts how many rows were asked for (to prove virtualisation).
final class CountingSource: ListSource {
  let count: Int
  var asked = 0
  init(count: Int) { self.count = count }
  func text(at index: Int) -> String {
    asked += 1
    return "row \(index)"
  }
}
