import Foundation
import GonggaoCore
import GonggaoHTTP

extension ServiceApp {
    /// `GET /console/projects/{key}/notices/new`.
    func newDraftForm(_ call: ConsoleCall) async throws -> HTTPResponse {
        let project = try await consoleProject(call.parameter("key"))
        return try draftPage(
            call, project: project, form: DraftForm(project: project, today: CivilDate(environment.now())),
            noticeID: nil, errors: [], status: 200)
    }

    /// `POST /console/projects/{key}/notices`: `NoticeWorkflow.draft`, as `POST /api/notices`.
    func createDraft(_ call: ConsoleCall) async throws -> HTTPResponse {
        let project = try await consoleProject(call.parameter("key"))
        let form = DraftForm(call.form)
        switch form.content(project: project.key) {
        case .failure(let refused):
            return try draftPage(call, project: project, form: form, noticeID: nil, errors: refused.errors, status: 422)
        case .success(let content):
            do {
                let v = try await Self.projectIsField {
                    try await environment.workflow.draft(content, as: call.signedIn.name)
                }
                return Self.backToNotice(v.id, "drafted")
            } catch let error as ValidationError {
                return try draftPage(call, project: project, form: form, noticeID: nil, errors: [error], status: 422)
            }
        }
    }

    /// `GET /console/notices/{id}/edit`: the latest version's content, while it is a draft.
    func editDraftForm(_ call: ConsoleCall) async throws -> HTTPResponse {
        let (latest, project) = try await editableDraft(call.parameter("id"))
        return try draftPage(
            call, project: project, form: DraftForm(latest.content), noticeID: latest.id, errors: [], status: 200)
    }

    /// `POST /console/notices/{id}/edit`: `NoticeWorkflow.edit`, as `PUT /api/notices/{id}`.
    func saveDraft(_ call: ConsoleCall) async throws -> HTTPResponse {
        let (latest, project) = try await editableDraft(call.parameter("id"))
        let form = DraftForm(call.form)
        switch form.content(project: project.key) {
        case .failure(let refused):
            return try draftPage(
                call, project: project, form: form, noticeID: latest.id, errors: refused.errors, status: 422)
        case .success(let content):
            do {
                _ = try await Self.projectIsField {
                    try await environment.workflow.edit(latest.id, content: content, as: call.signedIn.name)
                }
            } catch let error as ValidationError {
                return try draftPage(
                    call, project: project, form: form, noticeID: latest.id, errors: [error], status: 422)
            } catch WorkflowError.unchanged {
                // Saving the form unchanged is not a mistake worth an error page.
            }
            return Self.backToNotice(latest.id, "saved")
        }
    }

    private func consoleProject(_ key: String) async throws -> Project {
        guard let project = try await environment.store.read({ tx in try tx.project(key) }) else {
            throw WorkflowError.unknownProject(key)
        }
        return project
    }

    private func editableDraft(_ id: String) async throws -> (NoticeVersion, Project) {
        let found = try await environment.store.read { tx -> (NoticeVersion, Project?)? in
            guard let v = try tx.noticeVersions(id).last else { return nil }
            return (v, try tx.project(v.content.project))
        }
        guard let (latest, project) = found else { throw WorkflowError.unknownNotice(id) }
        guard latest.state == .draft else {
            throw WorkflowError.wrongState(notice: latest.reference, action: "edit", state: latest.state)
        }
        guard let project else { throw WorkflowError.unknownProject(latest.content.project) }
        return (latest, project)
    }

    private func draftPage(
        _ call: ConsoleCall, project: Project, form: DraftForm, noticeID: String?, errors: [ValidationError],
        status: Int
    ) throws -> HTTPResponse {
        var byField: [String: PageValue] = [:]
        for e in errors {
            let id = DraftForm.fieldID(e.field)
            // The first message of a field wins; nested fields (approval.date) are shown by their own input.
            if byField[id] == nil { byField[id] = .text("\(DraftForm.label(id))：\(e.message)") }
        }
        let fields = form.textValues.mapValues { PageValue.text($0) }
        let values: [String: PageValue] = [
            "project": ["key": .text(project.key), "name": .text(project.name)],
            "action": .text(
                noticeID.map { "/console/notices/\($0)/edit" } ?? "/console/projects/\(project.key)/notices"),
            "isEdit": .bool(noticeID != nil),
            "noticeID": .optional(noticeID),
            "kinds": .list(
                NoticeKind.allCases.map { k in
                    [
                        "value": .text(k.rawValue), "name": .text(k.chineseName),
                        "selected": .bool(k.rawValue == form.kind),
                    ]
                }),
            "fields": .object(fields),
            "body": .text(form.body),
            "parcels": .list(
                project.parcels.map { p in
                    ["key": .text(p.key), "name": .text(p.displayName), "checked": .bool(form.parcels.contains(p.key))]
                }),
            "errors": .object(byField),
            "formError": .optional(errors.isEmpty ? nil : "表单有 \(byField.count) 处需要修改，请查看各字段旁的提示。"),
        ]
        return try consolePage("draft", title: noticeID == nil ? "起草公告" : "编辑草稿", values, call: call, status: status)
    }
}
