import Foundation
import GonggaoStore

extension StoreDump {
    /// The logical dump of the SQLite store at `path`, opened (and closed) just for this.
    public static func text(sqlitePath path: String) async throws -> String {
        let store = try SQLiteStore(path: path)
        do {
            let text = try await StoreDump.text(store)
            await store.close()
            return text
        } catch {
            await store.close()
            throw error
        }
    }
}
