import SnapshotTesting
import TermUI

extension Snapshotting where Value == Buffer, Format == String {
  /// The text grid of a buffer plus its attribute layer (see `Buffer.snapshot`), compared by lines.
  static var buffer: Snapshotting<Buffer, String> {
    Snapshotting<String, String>.lines.pullback { $0.snapshot }
  }
}
