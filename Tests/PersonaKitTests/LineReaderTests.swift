import Foundation
import Testing

@testable import PersonaKit

/// The exec runner's line splitting: each byte once, a bounded buffer, long lines in pieces.
@Suite struct LineReaderTests {
  func lines(_ chunks: [String], longest: Int = LineReader.longest) -> [String] {
    var queue = chunks.map { Array($0.utf8) }
    var out: [String] = []
    LineReader.read(chunks: { queue.isEmpty ? [] : queue.removeFirst() }, longest: longest) { out.append($0) }
    return out
  }

  @Test func linesAcrossChunksCRLFAndALastLineWithoutNewline() {
    #expect(lines(["a\nb", "c\r\n", "\n", "d"]) == ["a", "bc", "", "d"])
    #expect(lines(["", "x"]) == [])  // an empty read is the end
    #expect(lines(["x\n"]) == ["x"])
  }

  @Test func aLongLineIsGivenInPiecesWithAMarkCutBetweenCharacters() {
    let mark = LineReader.splitMark
    #expect(lines(["abcdefghij\n"], longest: 4) == ["abcd" + mark, "efgh" + mark, "ij"])
    #expect(lines(["abcd\nefgh", "i"], longest: 4) == ["abcd", "efgh" + mark, "i"])
    // "é" is two bytes: a cut never splits it.
    let out = lines(["aééé\n"], longest: 4)
    #expect(out == ["aé" + mark, "éé"], "\(out)")
    #expect(!out.joined().contains("\u{FFFD}"))
  }

  /// 32 MB without a newline, in the pipe's 64 KiB reads: pieces of 1 MiB, in time linear in the
  /// size (searching the whole buffer again on every read would be quadratic).
  @Test func aHugeLineTakesLinearTimeAndPiecesOfAtMostOneMiB() {
    let total = 32 << 20
    let block = [UInt8](repeating: 0x61, count: 65536)
    var given = 0
    var pieces = 0
    var longestPiece = 0
    let clock = ContinuousClock()
    let took = clock.measure {
      LineReader.read(
        chunks: {
          guard given < total else { return [] }
          given += block.count
          return block
        }
      ) { l in
        pieces += 1
        longestPiece = max(longestPiece, l.utf8.count)
      }
    }
    #expect(pieces == 32)
    #expect(longestPiece <= LineReader.longest + LineReader.splitMark.utf8.count)
    // Generous for a debug build on a loaded machine; a quadratic reader takes minutes.
    #expect(took < .seconds(20), "\(took)")
  }
}
