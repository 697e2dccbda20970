import Foundation
import GonggaoCore
import GonggaoStore

/// What a public parcel page shows, read in one transaction: the project, the parcel (nil on a
/// project's page) and the published versions of every notice covering it.
struct PublicRecord: Sendable {
    let key: String
    let project: Project
    let parcel: Parcel?
    /// Per notice, its published versions (approved, superseded, withdrawn), oldest first.
    let notices: [[NoticeVersion]]
    /// Posting confirmations per notice id (for each approved version's posting period).
    var postings: [String: [PostingConfirmation]] = [:]

    /// Keys go into URLs and QR codes: short ASCII letters, digits and hyphens.
    static func isPlausibleKey(_ key: String) -> Bool {
        (try? Project.validateKey(key, field: "key")) != nil
    }

    /// The record for a parcel key or a project key; nil when neither exists.
    static func read(_ key: String, _ tx: any StoreReader) throws -> PublicRecord? {
        let project: Project
        var parcel: Parcel?
        if let projectKey = try tx.projectKey(ofParcel: key), let p = try tx.project(projectKey) {
            project = p
            parcel = p.parcel(key)
        } else if let p = try tx.project(key) {
            project = p
        } else {
            return nil
        }
        var notices: [[NoticeVersion]] = []
        var postings: [String: [PostingConfirmation]] = [:]
        for latest in try tx.notices(NoticeFilter(project: project.key, limit: Int.max)) {
            let published = try tx.noticeVersions(latest.id).filter { v in
                PublishedState.isPublished(v.state) && (parcel == nil || v.content.parcels.contains(key))
            }
            if !published.isEmpty {
                notices.append(published)
                postings[latest.id] = try tx.postings(noticeID: latest.id)
            }
        }
        return PublicRecord(key: key, project: project, parcel: parcel, notices: notices, postings: postings)
    }
}
