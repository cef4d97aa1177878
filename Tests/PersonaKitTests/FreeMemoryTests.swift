import Foundation
import Testing

@testable import PersonaKit

@Suite struct FreeMemoryTests {
  /// Resident memory of this process, from /proc (pages × page size).
  func residentBytes() throws -> Int {
    let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    let pages = try #require(Int(statm.split(separator: " ")[1]))
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// Memory freed in the middle of the heap stays with malloc (a block allocated after it keeps
  /// the heap from shrinking by itself) until `returnFreeMemory` gives it back. (Other tests may
  /// give memory back meanwhile — a reload does —, which can only lower `after`.)
  @Test func freedMemoryGoesBackToTheSystem() throws {
    var blocks: [UnsafeMutableRawPointer] = []
    for _ in 0..<80_000 {
      let p = try #require(malloc(1000))
      memset(p, 1, 1000)
      blocks.append(p)
    }
    let keeper = try #require(malloc(64))
    defer { free(keeper) }
    let allocated = try residentBytes()
    for p in blocks { free(p) }
    returnFreeMemory()
    let after = try residentBytes()
    // 80 MB were freed; at least half of it must have left.
    #expect(allocated - after > 40_000_000, "resident \(allocated) → \(after)")
  }
}
