import Foundation
import Synchronization
import Testing
@testable import GonggaoCore

/// The access log's per-request path (`log(_:_:sortedFields:)`) writes exactly the line the
/// dictionary path writes, with the logger's own metadata and the fixed keys merged in.
struct LoggerLineTests {
    static func lines(_ metadata: Logger.Metadata, _ write: (Logger) -> Void) -> [String] {
        let captured = Mutex<[String]>([])
        let logger = Logger(label: "test", minimum: .info, metadata: metadata) { line in captured.withLock { $0.append(line) } }
        write(logger)
        return captured.withLock { $0 }
    }

    @Test(arguments: [
        [:],
        ["service": "gonggao", "http.path": "/shadowed", "zz": "last", "a": "first"],
        ["msg": "shadowed by the message", "level": "x"],
    ] as [Logger.Metadata])
    func sortedFieldsWriteTheDictionaryLine(metadata: Logger.Metadata) {
        let at = Date(timeIntervalSince1970: 1_796_090_400.123)
        let fields: [(String, String)] = [
            ("http.bytes_in", "0"), ("http.method", "GET"), ("http.path", "/p/\"quoted\"\n"), ("http.status", "200"),
            ("ts", "a field named like a fixed key"),
        ]
        let viaPairs = Self.lines(metadata) { $0.log(.info, "http request", sortedFields: fields, at: at) }
        let viaDictionary = Self.lines(metadata) {
            $0.log(.info, "http request", Dictionary(fields, uniquingKeysWith: { _, new in new }), at: at)
        }
        #expect(viaPairs.count == 1)
        #expect(viaPairs == viaDictionary)
        #expect(Self.lines(metadata) { $0.log(.debug, "dropped", sortedFields: fields, at: at) }.isEmpty)
    }

    @Test func levelNames() {
        #expect(Logger.Level.allCases.map(\.name) == ["debug", "info", "notice", "warning", "error"])
    }
}
