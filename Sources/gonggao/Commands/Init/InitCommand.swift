import Foundation
import GonggaoStore

extension CommandSpec {
    /// `gonggao init`: creates the store (and its directory) and runs its migrations.
    static let initStore = CommandSpec(
        path: ["init"],
        summary: "create the store named in the config and bring its schema up to date",
        options: [.json],
        discussion: "Safe to run again: an existing store is only migrated. Prints the store's path."
    ) { inv, ctx in
        if case .postgres = ctx.config.store {
            let store = try await ctx.openStore(creating: true)
            let location = (store as? PostgresStore)?.configuration.description ?? ctx.storePath
            await store.close()
            if inv.json { try ctx.output.json(InitResult(path: location, created: false)) } else { ctx.output.line(location) }
            return
        }
        let path = ctx.storePath
        let existed = FileManager.default.fileExists(atPath: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(.failure, "cannot create the store's directory \(directory.path): \(error.localizedDescription)")
        }
        let store = try SQLiteStore(path: path)
        await store.close()
        if inv.json {
            try ctx.output.json(InitResult(path: path, created: !existed))
        } else {
            ctx.output.line(path)
        }
    }

    struct InitResult: Encodable {
        var path: String
        var created: Bool
    }
}
