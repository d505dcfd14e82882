/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Logout { logout { revoked errors { code message } } }": typeof types.LogoutDocument,
    "query MyFolders { me { favoriteFolders { id name regulations { id } } } }": typeof types.MyFoldersDocument,
    "\n  mutation AddFavorite($input: FavoriteInput!) {\n    addFavorite(input: $input) { folder { id regulations { id } } errors { field code message } }\n  }\n": typeof types.AddFavoriteDocument,
    "\n  mutation AddExcerpt($input: AddExcerptInput!) {\n    addExcerpt(input: $input) { excerpt { id } errors { field code message } }\n  }\n": typeof types.AddExcerptDocument,
    "query MyUnit { me { user { unit { id name } } } }": typeof types.MyUnitDocument,
    "mutation AcceptRectification($input: RectificationStepInput!) { acceptRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.AcceptRectificationDocument,
    "mutation CloseRectification($input: RectificationStepInput!) { closeRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.CloseRectificationDocument,
    "mutation PlanRectification($input: RectificationAnswerInput!) { planRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.PlanRectificationDocument,
    "mutation RespondToWarning($input: RectificationAnswerInput!) { respondToWarning(input: $input) { record { __typename } errors { field code message } } }": typeof types.RespondToWarningDocument,
    "mutation ReportRectification($input: ReportRectificationInput!) { reportRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.ReportRectificationDocument,
    "mutation ReturnRectification($input: RectificationReasonInput!) { returnRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.ReturnRectificationDocument,
    "mutation DismissWarning($input: RectificationReasonInput!) { dismissWarning(input: $input) { record { __typename } errors { field code message } } }": typeof types.DismissWarningDocument,
    "mutation SuperviseRectification($input: SuperviseRectificationInput!) { superviseRectification(input: $input) { record { __typename } errors { field code message } } }": typeof types.SuperviseRectificationDocument,
    "mutation IssueWarning($input: IssueWarningInput!) { issueWarning(input: $input) { record { __typename } errors { field code message } } }": typeof types.IssueWarningDocument,
    "mutation Register($input: RegisterSuggestionInput!) { registerSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.RegisterDocument,
    "mutation Reject($input: ReasonInput!) { rejectSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.RejectDocument,
    "mutation Return($input: ReasonInput!) { returnSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.ReturnDocument,
    "mutation Assign($input: AssignSuggestionInput!) { assignSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.AssignDocument,
    "mutation Accept($input: SuggestionStepInput!) { acceptSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.AcceptDocument,
    "mutation Submit($input: SuggestionStepInput!) { submitSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.SubmitDocument,
    "mutation Close($input: SuggestionStepInput!) { closeSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.CloseDocument,
    "mutation Reply($input: ReplyToSuggestionInput!) { replyToSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.ReplyDocument,
    "mutation Supervise($input: AddSupervisionRecordInput!) { addSupervisionRecord(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.SuperviseDocument,
    "mutation Evaluate($input: EvaluateSuggestionInput!) { evaluateSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.EvaluateDocument,
    "mutation Withdraw($input: SuggestionStepInput!) { withdrawSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.WithdrawDocument,
    "mutation Transfer($input: TransferSuggestionInput!) { transferSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.TransferDocument,
    "mutation Reopen($input: ReopenSuggestionInput!) { reopenSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.ReopenDocument,
    "mutation Rehandle($input: RehandleSuggestionInput!) { rehandleSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": typeof types.RehandleDocument,
    "query StepUnits { units(first: 100) { edges { node { id name } } } }": typeof types.StepUnitsDocument,
    "query Unread { me { unreadNotificationCount } }": typeof types.UnreadDocument,
    "\n  query Accounts($role: Role) {\n    users(filter: { role: $role }, first: 100) {\n      totalCount\n      edges { node { id username displayName role active deputy { id name } unit { id name } } }\n    }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    units(first: 100) { edges { node { id name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n": typeof types.AccountsDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id } errors { field code message } }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) { user { id active } errors { field code message } }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation LinkUser($input: LinkUserInput!) {\n    linkUser(input: $input) { user { id deputy { id name } unit { id name } } errors { field code message } }\n  }\n": typeof types.LinkUserDocument,
    "\n  query BudgetFiles {\n    budgetImports(limit: 20) { kind year periods fileName rows importedBy startedAt state warningCount }\n    enumLabels(names: [\"FileKind\", \"LoadState\"]) { name values { value label } }\n  }\n": typeof types.BudgetFilesDocument,
    "\n  query BudgetTemplate($kind: FileKind!) { budgetTemplate(kind: $kind) { fileName mediaType contentBase64 } }\n": typeof types.BudgetTemplateDocument,
    "\n  mutation ImportBudgetFile($input: ImportBudgetFileInput!) {\n    importBudgetFile(input: $input) {\n      imported { kind year periods rows }\n      rejectedRows { row column reason }\n      warnings { row column reason }\n      unchanged\n      errors { field code message }\n    }\n  }\n": typeof types.ImportBudgetFileDocument,
    "\n  query Start {\n    me { unreadNotificationCount user { displayName role deputy { name delegation } unit { name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n": typeof types.StartDocument,
    "\n  query SearchLibrary($query: String!, $filter: RegulationFilter, $order: SearchOrder!, $first: Int, $after: String) {\n    searchRegulations(query: $query, filter: $filter, order: $order, first: $first, after: $after) {\n      totalCount\n      notice { code message }\n      facets { field values { value label count } }\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          regulation { id title kind level region status promulgatedOn issuingBody }\n          articles { number label heading passage { text matches { start length } } }\n        }\n      }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\"]) { name values { value label } }\n  }\n": typeof types.SearchLibraryDocument,
    "\n  query MyLibrary {\n    me {\n      favoriteFolders { id name regulations { id title status } }\n      excerpts(first: 100) {\n        totalCount\n        edges { node { id articleNumber quote note createdAt regulation { id title } } }\n      }\n    }\n    enumLabels(names: [\"RegulationStatus\"]) { name values { value label } }\n  }\n": typeof types.MyLibraryDocument,
    "\n  mutation CreateFolder($input: CreateFavoriteFolderInput!) {\n    createFavoriteFolder(input: $input) { folder { id } errors { field code message } }\n  }\n": typeof types.CreateFolderDocument,
    "\n  mutation RenameFolder($input: RenameFavoriteFolderInput!) {\n    renameFavoriteFolder(input: $input) { folder { id name } errors { field code message } }\n  }\n": typeof types.RenameFolderDocument,
    "\n  mutation DeleteFolder($input: DeleteFavoriteFolderInput!) {\n    deleteFavoriteFolder(input: $input) { deletedId errors { field code message } }\n  }\n": typeof types.DeleteFolderDocument,
    "\n  mutation RemoveFavorite($input: FavoriteInput!) {\n    removeFavorite(input: $input) { folder { id } errors { field code message } }\n  }\n": typeof types.RemoveFavoriteDocument,
    "\n  mutation DeleteExcerpt($input: DeleteExcerptInput!) {\n    deleteExcerpt(input: $input) { deletedId errors { field code message } }\n  }\n": typeof types.DeleteExcerptDocument,
    "\n  query MySuggestions($followed: Boolean!) {\n    me {\n      suggestions(first: 100) @skip(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n      followed(first: 100) @include(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n": typeof types.MySuggestionsDocument,
    "\n  query SuggestionChoices {\n    congressSessions(first: 20) { edges { node { id name openedOn closedOn } } }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    me { user { deputy { id } } }\n  }\n": typeof types.SuggestionChoicesDocument,
    "\n  mutation CreateSuggestion($input: CreateSuggestionInput!) {\n    createSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": typeof types.CreateSuggestionDocument,
    "\n  query StoredDraft($id: ID!) {\n    suggestion(id: $id) { id state kind title body category keywords visibility session { id } cosigners { id } }\n  }\n": typeof types.StoredDraftDocument,
    "\n  mutation UpdateDraft($input: UpdateSuggestionInput!) {\n    updateSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": typeof types.UpdateDraftDocument,
    "\n  mutation SubmitDraft($input: SuggestionStepInput!) {\n    submitSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": typeof types.SubmitDraftDocument,
    "\n  query MyNotifications($after: String) {\n    me {\n      unreadNotificationCount\n      notifications(first: 30, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id title message createdAt readAt record { __typename id } } }\n      }\n    }\n  }\n": typeof types.MyNotificationsDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) { errors { field code message } }\n  }\n": typeof types.MarkNotificationsReadDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { user { id } errors { field code message } }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Overview {\n    supervisionOverview {\n      year month\n      totals { kind open overdue }\n      byUnit { unit { name } counts { kind open overdue } }\n      books { book figures { adjusted executed executionRate timeProgress gap } }\n      worstDepartments { code department { name } figures { adjusted executed executionRate gap } }\n    }\n    enumLabels(names: [\"RecordKind\", \"Book\"]) { name values { value label } }\n  }\n": typeof types.OverviewDocument,
    "\n  query BulletinDocument($quarter: String!) { bulletin(quarter: $quarter) { wordDocument { fileName mediaType contentBase64 } } }\n": typeof types.BulletinDocumentDocument,
    "\n  query WorkQueue($filter: SuggestionFilter, $sort: SuggestionSort!, $after: String) {\n    suggestions(filter: $filter, sort: $sort, first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n": typeof types.WorkQueueDocument,
    "\n  query Ledger($filter: SuggestionFilter, $sort: SuggestionSort!) {\n    exportSuggestions(filter: $filter, sort: $sort) { fileName mediaType contentBase64 rowCount }\n  }\n": typeof types.LedgerDocument,
    "\n  query ShowRecord($id: ID!) {\n    node(id: $id) {\n      ... on RectificationRecord {\n        deadline overdue hearingOn closedAt\n        units { name }\n        answers { kind text writtenBy writtenAt unit { name } }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        nextSteps { name label mutation }\n      }\n      ... on Opinion { id title stage meeting meetingOn subject issuedOn opinionState: state points { number text rectified } }\n      ... on AuditFinding { id number title description auditYear auditor category issuedOn findingState: state amount }\n      ... on BudgetWarning { id number title message period severity warningState: state figures { label value unit } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"OpinionStage\", \"AnswerKind\", \"SupervisionMethod\", \"Severity\"]) {\n      name values { value label }\n    }\n  }\n": typeof types.ShowRecordDocument,
    "\n  query Rectifications($opinions: Boolean!, $findings: Boolean!, $warnings: Boolean!, $overdue: Boolean, $unitId: ID, $after: String) {\n    opinions(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $opinions) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id title state deadline overdue issuedOn units { name } } }\n    }\n    auditFindings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $findings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue issuedOn units { name } } }\n    }\n    budgetWarnings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $warnings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue period severity units { name } } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"Severity\"]) { name values { value label } }\n  }\n": typeof types.RectificationsDocument,
    "\n  query ReadRegulation($id: ID!) {\n    regulation(id: $id) {\n      id title kind level region status documentNumber issuingBody promulgatedOn effectiveOn ineffectiveOn preamble\n      tableOfContents { kind label title firstArticle }\n      versions { id title status promulgatedOn effectiveOn }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\", \"HeadingKind\"]) { name values { value label } }\n  }\n": typeof types.ReadRegulationDocument,
    "\n  query RegulationArticles($id: ID!, $after: String) {\n    regulation(id: $id) {\n      articles(first: 100, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { number label heading text } }\n      }\n    }\n  }\n": typeof types.RegulationArticlesDocument,
    "\n  query VersionInForce($id: ID!, $on: Date!) {\n    regulation(id: $id) { versionInForce(on: $on) { id } }\n  }\n": typeof types.VersionInForceDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      user { username displayName role }\n      errors { field code message }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Statistics($groupBy: StatsGrouping!) {\n    suggestionStats(groupBy: $groupBy) {\n      key total replied onTime satisfied closed overdue replyRate onTimeRate satisfactionRate closureRate\n      unit { name }\n      session { name }\n    }\n    hotTopics(limit: 10) { categories { value count } keywords { value count } }\n  }\n": typeof types.StatisticsDocument,
    "\n  query ShowSuggestion($id: ID!) {\n    node(id: $id) {\n      ... on Suggestion {\n        id numberLabel title body category keywords state deadline overdue daysLeft filedAt satisfaction followed\n        leadDeputy { id name delegation }\n        cosigners { id name }\n        leadUnit { name }\n        coUnits { name }\n        nextSteps { name label mutation }\n        replies {\n          round unitRole text resultClass repliedAt onTime\n          unit { name }\n          commitments { id text dueOn done }\n        }\n        evaluations { round satisfaction note evaluatedAt }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        spending {\n          year month\n          total { adjusted executed executionRate timeProgress gap }\n          monthly { month adjusted executed executionRate timeProgress }\n          links {\n            link { id kind project departmentCode classification classificationName department { name } }\n            figures { adjusted executed executionRate }\n            projects { code name total planned paid paymentRate status }\n          }\n        }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\", \"ResultClass\", \"Satisfaction\", \"UnitRole\", \"LinkKind\", \"ProjectStatus\", \"SupervisionMethod\"]) {\n      name values { value label }\n    }\n  }\n": typeof types.ShowSuggestionDocument,
    "\n  mutation CompleteCommitment($input: CompleteCommitmentInput!) {\n    completeCommitment(input: $input) { suggestion { id } errors { field code message } }\n  }\n": typeof types.CompleteCommitmentDocument,
    "\n  mutation FollowSuggestion($input: FollowSuggestionInput!) {\n    followSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n": typeof types.FollowSuggestionDocument,
    "\n  mutation UnfollowSuggestion($input: FollowSuggestionInput!) {\n    unfollowSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n": typeof types.UnfollowSuggestionDocument,
    "query MyDeputy { me { user { deputy { id } } } }": typeof types.MyDeputyDocument,
    "\n  query MyTokens {\n    me { apiTokens(first: 100) { edges { node { id kind name prefix createdAt expiresAt revokedAt lastUsedAt } } } }\n    enumLabels(names: [\"TokenKind\"]) { name values { value label } }\n  }\n": typeof types.MyTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { token apiToken { id } errors { field code message } }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) { apiToken { id revokedAt } errors { field code message } }\n  }\n": typeof types.RevokeApiTokenDocument,
};
const documents: Documents = {
    "mutation Logout { logout { revoked errors { code message } } }": types.LogoutDocument,
    "query MyFolders { me { favoriteFolders { id name regulations { id } } } }": types.MyFoldersDocument,
    "\n  mutation AddFavorite($input: FavoriteInput!) {\n    addFavorite(input: $input) { folder { id regulations { id } } errors { field code message } }\n  }\n": types.AddFavoriteDocument,
    "\n  mutation AddExcerpt($input: AddExcerptInput!) {\n    addExcerpt(input: $input) { excerpt { id } errors { field code message } }\n  }\n": types.AddExcerptDocument,
    "query MyUnit { me { user { unit { id name } } } }": types.MyUnitDocument,
    "mutation AcceptRectification($input: RectificationStepInput!) { acceptRectification(input: $input) { record { __typename } errors { field code message } } }": types.AcceptRectificationDocument,
    "mutation CloseRectification($input: RectificationStepInput!) { closeRectification(input: $input) { record { __typename } errors { field code message } } }": types.CloseRectificationDocument,
    "mutation PlanRectification($input: RectificationAnswerInput!) { planRectification(input: $input) { record { __typename } errors { field code message } } }": types.PlanRectificationDocument,
    "mutation RespondToWarning($input: RectificationAnswerInput!) { respondToWarning(input: $input) { record { __typename } errors { field code message } } }": types.RespondToWarningDocument,
    "mutation ReportRectification($input: ReportRectificationInput!) { reportRectification(input: $input) { record { __typename } errors { field code message } } }": types.ReportRectificationDocument,
    "mutation ReturnRectification($input: RectificationReasonInput!) { returnRectification(input: $input) { record { __typename } errors { field code message } } }": types.ReturnRectificationDocument,
    "mutation DismissWarning($input: RectificationReasonInput!) { dismissWarning(input: $input) { record { __typename } errors { field code message } } }": types.DismissWarningDocument,
    "mutation SuperviseRectification($input: SuperviseRectificationInput!) { superviseRectification(input: $input) { record { __typename } errors { field code message } } }": types.SuperviseRectificationDocument,
    "mutation IssueWarning($input: IssueWarningInput!) { issueWarning(input: $input) { record { __typename } errors { field code message } } }": types.IssueWarningDocument,
    "mutation Register($input: RegisterSuggestionInput!) { registerSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.RegisterDocument,
    "mutation Reject($input: ReasonInput!) { rejectSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.RejectDocument,
    "mutation Return($input: ReasonInput!) { returnSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.ReturnDocument,
    "mutation Assign($input: AssignSuggestionInput!) { assignSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.AssignDocument,
    "mutation Accept($input: SuggestionStepInput!) { acceptSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.AcceptDocument,
    "mutation Submit($input: SuggestionStepInput!) { submitSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.SubmitDocument,
    "mutation Close($input: SuggestionStepInput!) { closeSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.CloseDocument,
    "mutation Reply($input: ReplyToSuggestionInput!) { replyToSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.ReplyDocument,
    "mutation Supervise($input: AddSupervisionRecordInput!) { addSupervisionRecord(input: $input) { suggestion { id state } errors { field code message } } }": types.SuperviseDocument,
    "mutation Evaluate($input: EvaluateSuggestionInput!) { evaluateSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.EvaluateDocument,
    "mutation Withdraw($input: SuggestionStepInput!) { withdrawSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.WithdrawDocument,
    "mutation Transfer($input: TransferSuggestionInput!) { transferSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.TransferDocument,
    "mutation Reopen($input: ReopenSuggestionInput!) { reopenSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.ReopenDocument,
    "mutation Rehandle($input: RehandleSuggestionInput!) { rehandleSuggestion(input: $input) { suggestion { id state } errors { field code message } } }": types.RehandleDocument,
    "query StepUnits { units(first: 100) { edges { node { id name } } } }": types.StepUnitsDocument,
    "query Unread { me { unreadNotificationCount } }": types.UnreadDocument,
    "\n  query Accounts($role: Role) {\n    users(filter: { role: $role }, first: 100) {\n      totalCount\n      edges { node { id username displayName role active deputy { id name } unit { id name } } }\n    }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    units(first: 100) { edges { node { id name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n": types.AccountsDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id } errors { field code message } }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) { user { id active } errors { field code message } }\n  }\n": types.UpdateUserDocument,
    "\n  mutation LinkUser($input: LinkUserInput!) {\n    linkUser(input: $input) { user { id deputy { id name } unit { id name } } errors { field code message } }\n  }\n": types.LinkUserDocument,
    "\n  query BudgetFiles {\n    budgetImports(limit: 20) { kind year periods fileName rows importedBy startedAt state warningCount }\n    enumLabels(names: [\"FileKind\", \"LoadState\"]) { name values { value label } }\n  }\n": types.BudgetFilesDocument,
    "\n  query BudgetTemplate($kind: FileKind!) { budgetTemplate(kind: $kind) { fileName mediaType contentBase64 } }\n": types.BudgetTemplateDocument,
    "\n  mutation ImportBudgetFile($input: ImportBudgetFileInput!) {\n    importBudgetFile(input: $input) {\n      imported { kind year periods rows }\n      rejectedRows { row column reason }\n      warnings { row column reason }\n      unchanged\n      errors { field code message }\n    }\n  }\n": types.ImportBudgetFileDocument,
    "\n  query Start {\n    me { unreadNotificationCount user { displayName role deputy { name delegation } unit { name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n": types.StartDocument,
    "\n  query SearchLibrary($query: String!, $filter: RegulationFilter, $order: SearchOrder!, $first: Int, $after: String) {\n    searchRegulations(query: $query, filter: $filter, order: $order, first: $first, after: $after) {\n      totalCount\n      notice { code message }\n      facets { field values { value label count } }\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          regulation { id title kind level region status promulgatedOn issuingBody }\n          articles { number label heading passage { text matches { start length } } }\n        }\n      }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\"]) { name values { value label } }\n  }\n": types.SearchLibraryDocument,
    "\n  query MyLibrary {\n    me {\n      favoriteFolders { id name regulations { id title status } }\n      excerpts(first: 100) {\n        totalCount\n        edges { node { id articleNumber quote note createdAt regulation { id title } } }\n      }\n    }\n    enumLabels(names: [\"RegulationStatus\"]) { name values { value label } }\n  }\n": types.MyLibraryDocument,
    "\n  mutation CreateFolder($input: CreateFavoriteFolderInput!) {\n    createFavoriteFolder(input: $input) { folder { id } errors { field code message } }\n  }\n": types.CreateFolderDocument,
    "\n  mutation RenameFolder($input: RenameFavoriteFolderInput!) {\n    renameFavoriteFolder(input: $input) { folder { id name } errors { field code message } }\n  }\n": types.RenameFolderDocument,
    "\n  mutation DeleteFolder($input: DeleteFavoriteFolderInput!) {\n    deleteFavoriteFolder(input: $input) { deletedId errors { field code message } }\n  }\n": types.DeleteFolderDocument,
    "\n  mutation RemoveFavorite($input: FavoriteInput!) {\n    removeFavorite(input: $input) { folder { id } errors { field code message } }\n  }\n": types.RemoveFavoriteDocument,
    "\n  mutation DeleteExcerpt($input: DeleteExcerptInput!) {\n    deleteExcerpt(input: $input) { deletedId errors { field code message } }\n  }\n": types.DeleteExcerptDocument,
    "\n  query MySuggestions($followed: Boolean!) {\n    me {\n      suggestions(first: 100) @skip(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n      followed(first: 100) @include(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n": types.MySuggestionsDocument,
    "\n  query SuggestionChoices {\n    congressSessions(first: 20) { edges { node { id name openedOn closedOn } } }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    me { user { deputy { id } } }\n  }\n": types.SuggestionChoicesDocument,
    "\n  mutation CreateSuggestion($input: CreateSuggestionInput!) {\n    createSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": types.CreateSuggestionDocument,
    "\n  query StoredDraft($id: ID!) {\n    suggestion(id: $id) { id state kind title body category keywords visibility session { id } cosigners { id } }\n  }\n": types.StoredDraftDocument,
    "\n  mutation UpdateDraft($input: UpdateSuggestionInput!) {\n    updateSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": types.UpdateDraftDocument,
    "\n  mutation SubmitDraft($input: SuggestionStepInput!) {\n    submitSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n": types.SubmitDraftDocument,
    "\n  query MyNotifications($after: String) {\n    me {\n      unreadNotificationCount\n      notifications(first: 30, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id title message createdAt readAt record { __typename id } } }\n      }\n    }\n  }\n": types.MyNotificationsDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) { errors { field code message } }\n  }\n": types.MarkNotificationsReadDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { user { id } errors { field code message } }\n  }\n": types.ChangePasswordDocument,
    "\n  query Overview {\n    supervisionOverview {\n      year month\n      totals { kind open overdue }\n      byUnit { unit { name } counts { kind open overdue } }\n      books { book figures { adjusted executed executionRate timeProgress gap } }\n      worstDepartments { code department { name } figures { adjusted executed executionRate gap } }\n    }\n    enumLabels(names: [\"RecordKind\", \"Book\"]) { name values { value label } }\n  }\n": types.OverviewDocument,
    "\n  query BulletinDocument($quarter: String!) { bulletin(quarter: $quarter) { wordDocument { fileName mediaType contentBase64 } } }\n": types.BulletinDocumentDocument,
    "\n  query WorkQueue($filter: SuggestionFilter, $sort: SuggestionSort!, $after: String) {\n    suggestions(filter: $filter, sort: $sort, first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n": types.WorkQueueDocument,
    "\n  query Ledger($filter: SuggestionFilter, $sort: SuggestionSort!) {\n    exportSuggestions(filter: $filter, sort: $sort) { fileName mediaType contentBase64 rowCount }\n  }\n": types.LedgerDocument,
    "\n  query ShowRecord($id: ID!) {\n    node(id: $id) {\n      ... on RectificationRecord {\n        deadline overdue hearingOn closedAt\n        units { name }\n        answers { kind text writtenBy writtenAt unit { name } }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        nextSteps { name label mutation }\n      }\n      ... on Opinion { id title stage meeting meetingOn subject issuedOn opinionState: state points { number text rectified } }\n      ... on AuditFinding { id number title description auditYear auditor category issuedOn findingState: state amount }\n      ... on BudgetWarning { id number title message period severity warningState: state figures { label value unit } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"OpinionStage\", \"AnswerKind\", \"SupervisionMethod\", \"Severity\"]) {\n      name values { value label }\n    }\n  }\n": types.ShowRecordDocument,
    "\n  query Rectifications($opinions: Boolean!, $findings: Boolean!, $warnings: Boolean!, $overdue: Boolean, $unitId: ID, $after: String) {\n    opinions(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $opinions) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id title state deadline overdue issuedOn units { name } } }\n    }\n    auditFindings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $findings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue issuedOn units { name } } }\n    }\n    budgetWarnings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $warnings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue period severity units { name } } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"Severity\"]) { name values { value label } }\n  }\n": types.RectificationsDocument,
    "\n  query ReadRegulation($id: ID!) {\n    regulation(id: $id) {\n      id title kind level region status documentNumber issuingBody promulgatedOn effectiveOn ineffectiveOn preamble\n      tableOfContents { kind label title firstArticle }\n      versions { id title status promulgatedOn effectiveOn }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\", \"HeadingKind\"]) { name values { value label } }\n  }\n": types.ReadRegulationDocument,
    "\n  query RegulationArticles($id: ID!, $after: String) {\n    regulation(id: $id) {\n      articles(first: 100, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { number label heading text } }\n      }\n    }\n  }\n": types.RegulationArticlesDocument,
    "\n  query VersionInForce($id: ID!, $on: Date!) {\n    regulation(id: $id) { versionInForce(on: $on) { id } }\n  }\n": types.VersionInForceDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      user { username displayName role }\n      errors { field code message }\n    }\n  }\n": types.LoginDocument,
    "\n  query Statistics($groupBy: StatsGrouping!) {\n    suggestionStats(groupBy: $groupBy) {\n      key total replied onTime satisfied closed overdue replyRate onTimeRate satisfactionRate closureRate\n      unit { name }\n      session { name }\n    }\n    hotTopics(limit: 10) { categories { value count } keywords { value count } }\n  }\n": types.StatisticsDocument,
    "\n  query ShowSuggestion($id: ID!) {\n    node(id: $id) {\n      ... on Suggestion {\n        id numberLabel title body category keywords state deadline overdue daysLeft filedAt satisfaction followed\n        leadDeputy { id name delegation }\n        cosigners { id name }\n        leadUnit { name }\n        coUnits { name }\n        nextSteps { name label mutation }\n        replies {\n          round unitRole text resultClass repliedAt onTime\n          unit { name }\n          commitments { id text dueOn done }\n        }\n        evaluations { round satisfaction note evaluatedAt }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        spending {\n          year month\n          total { adjusted executed executionRate timeProgress gap }\n          monthly { month adjusted executed executionRate timeProgress }\n          links {\n            link { id kind project departmentCode classification classificationName department { name } }\n            figures { adjusted executed executionRate }\n            projects { code name total planned paid paymentRate status }\n          }\n        }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\", \"ResultClass\", \"Satisfaction\", \"UnitRole\", \"LinkKind\", \"ProjectStatus\", \"SupervisionMethod\"]) {\n      name values { value label }\n    }\n  }\n": types.ShowSuggestionDocument,
    "\n  mutation CompleteCommitment($input: CompleteCommitmentInput!) {\n    completeCommitment(input: $input) { suggestion { id } errors { field code message } }\n  }\n": types.CompleteCommitmentDocument,
    "\n  mutation FollowSuggestion($input: FollowSuggestionInput!) {\n    followSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n": types.FollowSuggestionDocument,
    "\n  mutation UnfollowSuggestion($input: FollowSuggestionInput!) {\n    unfollowSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n": types.UnfollowSuggestionDocument,
    "query MyDeputy { me { user { deputy { id } } } }": types.MyDeputyDocument,
    "\n  query MyTokens {\n    me { apiTokens(first: 100) { edges { node { id kind name prefix createdAt expiresAt revokedAt lastUsedAt } } } }\n    enumLabels(names: [\"TokenKind\"]) { name values { value label } }\n  }\n": types.MyTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { token apiToken { id } errors { field code message } }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) { apiToken { id revokedAt } errors { field code message } }\n  }\n": types.RevokeApiTokenDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout { logout { revoked errors { code message } } }"): (typeof documents)["mutation Logout { logout { revoked errors { code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyFolders { me { favoriteFolders { id name regulations { id } } } }"): (typeof documents)["query MyFolders { me { favoriteFolders { id name regulations { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddFavorite($input: FavoriteInput!) {\n    addFavorite(input: $input) { folder { id regulations { id } } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation AddFavorite($input: FavoriteInput!) {\n    addFavorite(input: $input) { folder { id regulations { id } } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddExcerpt($input: AddExcerptInput!) {\n    addExcerpt(input: $input) { excerpt { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation AddExcerpt($input: AddExcerptInput!) {\n    addExcerpt(input: $input) { excerpt { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyUnit { me { user { unit { id name } } } }"): (typeof documents)["query MyUnit { me { user { unit { id name } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AcceptRectification($input: RectificationStepInput!) { acceptRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation AcceptRectification($input: RectificationStepInput!) { acceptRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CloseRectification($input: RectificationStepInput!) { closeRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation CloseRectification($input: RectificationStepInput!) { closeRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlanRectification($input: RectificationAnswerInput!) { planRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation PlanRectification($input: RectificationAnswerInput!) { planRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RespondToWarning($input: RectificationAnswerInput!) { respondToWarning(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation RespondToWarning($input: RectificationAnswerInput!) { respondToWarning(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReportRectification($input: ReportRectificationInput!) { reportRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation ReportRectification($input: ReportRectificationInput!) { reportRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReturnRectification($input: RectificationReasonInput!) { returnRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation ReturnRectification($input: RectificationReasonInput!) { returnRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DismissWarning($input: RectificationReasonInput!) { dismissWarning(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation DismissWarning($input: RectificationReasonInput!) { dismissWarning(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SuperviseRectification($input: SuperviseRectificationInput!) { superviseRectification(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation SuperviseRectification($input: SuperviseRectificationInput!) { superviseRectification(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation IssueWarning($input: IssueWarningInput!) { issueWarning(input: $input) { record { __typename } errors { field code message } } }"): (typeof documents)["mutation IssueWarning($input: IssueWarningInput!) { issueWarning(input: $input) { record { __typename } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Register($input: RegisterSuggestionInput!) { registerSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Register($input: RegisterSuggestionInput!) { registerSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Reject($input: ReasonInput!) { rejectSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Reject($input: ReasonInput!) { rejectSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Return($input: ReasonInput!) { returnSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Return($input: ReasonInput!) { returnSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Assign($input: AssignSuggestionInput!) { assignSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Assign($input: AssignSuggestionInput!) { assignSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Accept($input: SuggestionStepInput!) { acceptSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Accept($input: SuggestionStepInput!) { acceptSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Submit($input: SuggestionStepInput!) { submitSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Submit($input: SuggestionStepInput!) { submitSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Close($input: SuggestionStepInput!) { closeSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Close($input: SuggestionStepInput!) { closeSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Reply($input: ReplyToSuggestionInput!) { replyToSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Reply($input: ReplyToSuggestionInput!) { replyToSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Supervise($input: AddSupervisionRecordInput!) { addSupervisionRecord(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Supervise($input: AddSupervisionRecordInput!) { addSupervisionRecord(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Evaluate($input: EvaluateSuggestionInput!) { evaluateSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Evaluate($input: EvaluateSuggestionInput!) { evaluateSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Withdraw($input: SuggestionStepInput!) { withdrawSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Withdraw($input: SuggestionStepInput!) { withdrawSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Transfer($input: TransferSuggestionInput!) { transferSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Transfer($input: TransferSuggestionInput!) { transferSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Reopen($input: ReopenSuggestionInput!) { reopenSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Reopen($input: ReopenSuggestionInput!) { reopenSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Rehandle($input: RehandleSuggestionInput!) { rehandleSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"): (typeof documents)["mutation Rehandle($input: RehandleSuggestionInput!) { rehandleSuggestion(input: $input) { suggestion { id state } errors { field code message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StepUnits { units(first: 100) { edges { node { id name } } } }"): (typeof documents)["query StepUnits { units(first: 100) { edges { node { id name } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Unread { me { unreadNotificationCount } }"): (typeof documents)["query Unread { me { unreadNotificationCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Accounts($role: Role) {\n    users(filter: { role: $role }, first: 100) {\n      totalCount\n      edges { node { id username displayName role active deputy { id name } unit { id name } } }\n    }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    units(first: 100) { edges { node { id name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n"): (typeof documents)["\n  query Accounts($role: Role) {\n    users(filter: { role: $role }, first: 100) {\n      totalCount\n      edges { node { id username displayName role active deputy { id name } unit { id name } } }\n    }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    units(first: 100) { edges { node { id name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) { user { id active } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) { user { id active } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkUser($input: LinkUserInput!) {\n    linkUser(input: $input) { user { id deputy { id name } unit { id name } } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation LinkUser($input: LinkUserInput!) {\n    linkUser(input: $input) { user { id deputy { id name } unit { id name } } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BudgetFiles {\n    budgetImports(limit: 20) { kind year periods fileName rows importedBy startedAt state warningCount }\n    enumLabels(names: [\"FileKind\", \"LoadState\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query BudgetFiles {\n    budgetImports(limit: 20) { kind year periods fileName rows importedBy startedAt state warningCount }\n    enumLabels(names: [\"FileKind\", \"LoadState\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BudgetTemplate($kind: FileKind!) { budgetTemplate(kind: $kind) { fileName mediaType contentBase64 } }\n"): (typeof documents)["\n  query BudgetTemplate($kind: FileKind!) { budgetTemplate(kind: $kind) { fileName mediaType contentBase64 } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportBudgetFile($input: ImportBudgetFileInput!) {\n    importBudgetFile(input: $input) {\n      imported { kind year periods rows }\n      rejectedRows { row column reason }\n      warnings { row column reason }\n      unchanged\n      errors { field code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ImportBudgetFile($input: ImportBudgetFileInput!) {\n    importBudgetFile(input: $input) {\n      imported { kind year periods rows }\n      rejectedRows { row column reason }\n      warnings { row column reason }\n      unchanged\n      errors { field code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Start {\n    me { unreadNotificationCount user { displayName role deputy { name delegation } unit { name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n"): (typeof documents)["\n  query Start {\n    me { unreadNotificationCount user { displayName role deputy { name delegation } unit { name } } }\n    enumLabels(names: [\"Role\"]) { values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchLibrary($query: String!, $filter: RegulationFilter, $order: SearchOrder!, $first: Int, $after: String) {\n    searchRegulations(query: $query, filter: $filter, order: $order, first: $first, after: $after) {\n      totalCount\n      notice { code message }\n      facets { field values { value label count } }\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          regulation { id title kind level region status promulgatedOn issuingBody }\n          articles { number label heading passage { text matches { start length } } }\n        }\n      }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query SearchLibrary($query: String!, $filter: RegulationFilter, $order: SearchOrder!, $first: Int, $after: String) {\n    searchRegulations(query: $query, filter: $filter, order: $order, first: $first, after: $after) {\n      totalCount\n      notice { code message }\n      facets { field values { value label count } }\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          regulation { id title kind level region status promulgatedOn issuingBody }\n          articles { number label heading passage { text matches { start length } } }\n        }\n      }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyLibrary {\n    me {\n      favoriteFolders { id name regulations { id title status } }\n      excerpts(first: 100) {\n        totalCount\n        edges { node { id articleNumber quote note createdAt regulation { id title } } }\n      }\n    }\n    enumLabels(names: [\"RegulationStatus\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query MyLibrary {\n    me {\n      favoriteFolders { id name regulations { id title status } }\n      excerpts(first: 100) {\n        totalCount\n        edges { node { id articleNumber quote note createdAt regulation { id title } } }\n      }\n    }\n    enumLabels(names: [\"RegulationStatus\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFolder($input: CreateFavoriteFolderInput!) {\n    createFavoriteFolder(input: $input) { folder { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation CreateFolder($input: CreateFavoriteFolderInput!) {\n    createFavoriteFolder(input: $input) { folder { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameFolder($input: RenameFavoriteFolderInput!) {\n    renameFavoriteFolder(input: $input) { folder { id name } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation RenameFolder($input: RenameFavoriteFolderInput!) {\n    renameFavoriteFolder(input: $input) { folder { id name } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteFolder($input: DeleteFavoriteFolderInput!) {\n    deleteFavoriteFolder(input: $input) { deletedId errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation DeleteFolder($input: DeleteFavoriteFolderInput!) {\n    deleteFavoriteFolder(input: $input) { deletedId errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFavorite($input: FavoriteInput!) {\n    removeFavorite(input: $input) { folder { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation RemoveFavorite($input: FavoriteInput!) {\n    removeFavorite(input: $input) { folder { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteExcerpt($input: DeleteExcerptInput!) {\n    deleteExcerpt(input: $input) { deletedId errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation DeleteExcerpt($input: DeleteExcerptInput!) {\n    deleteExcerpt(input: $input) { deletedId errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySuggestions($followed: Boolean!) {\n    me {\n      suggestions(first: 100) @skip(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n      followed(first: 100) @include(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query MySuggestions($followed: Boolean!) {\n    me {\n      suggestions(first: 100) @skip(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n      followed(first: 100) @include(if: $followed) {\n        totalCount\n        edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SuggestionChoices {\n    congressSessions(first: 20) { edges { node { id name openedOn closedOn } } }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    me { user { deputy { id } } }\n  }\n"): (typeof documents)["\n  query SuggestionChoices {\n    congressSessions(first: 20) { edges { node { id name openedOn closedOn } } }\n    deputies(first: 100) { edges { node { id name delegation } } }\n    me { user { deputy { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSuggestion($input: CreateSuggestionInput!) {\n    createSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation CreateSuggestion($input: CreateSuggestionInput!) {\n    createSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoredDraft($id: ID!) {\n    suggestion(id: $id) { id state kind title body category keywords visibility session { id } cosigners { id } }\n  }\n"): (typeof documents)["\n  query StoredDraft($id: ID!) {\n    suggestion(id: $id) { id state kind title body category keywords visibility session { id } cosigners { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateDraft($input: UpdateSuggestionInput!) {\n    updateSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation UpdateDraft($input: UpdateSuggestionInput!) {\n    updateSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitDraft($input: SuggestionStepInput!) {\n    submitSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation SubmitDraft($input: SuggestionStepInput!) {\n    submitSuggestion(input: $input) { suggestion { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotifications($after: String) {\n    me {\n      unreadNotificationCount\n      notifications(first: 30, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id title message createdAt readAt record { __typename id } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyNotifications($after: String) {\n    me {\n      unreadNotificationCount\n      notifications(first: 30, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id title message createdAt readAt record { __typename id } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) { errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) { errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { user { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { user { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview {\n    supervisionOverview {\n      year month\n      totals { kind open overdue }\n      byUnit { unit { name } counts { kind open overdue } }\n      books { book figures { adjusted executed executionRate timeProgress gap } }\n      worstDepartments { code department { name } figures { adjusted executed executionRate gap } }\n    }\n    enumLabels(names: [\"RecordKind\", \"Book\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query Overview {\n    supervisionOverview {\n      year month\n      totals { kind open overdue }\n      byUnit { unit { name } counts { kind open overdue } }\n      books { book figures { adjusted executed executionRate timeProgress gap } }\n      worstDepartments { code department { name } figures { adjusted executed executionRate gap } }\n    }\n    enumLabels(names: [\"RecordKind\", \"Book\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BulletinDocument($quarter: String!) { bulletin(quarter: $quarter) { wordDocument { fileName mediaType contentBase64 } } }\n"): (typeof documents)["\n  query BulletinDocument($quarter: String!) { bulletin(quarter: $quarter) { wordDocument { fileName mediaType contentBase64 } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkQueue($filter: SuggestionFilter, $sort: SuggestionSort!, $after: String) {\n    suggestions(filter: $filter, sort: $sort, first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query WorkQueue($filter: SuggestionFilter, $sort: SuggestionSort!, $after: String) {\n    suggestions(filter: $filter, sort: $sort, first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id numberLabel title state deadline overdue daysLeft leadUnit { name } session { term meeting } } }\n    }\n    enumLabels(names: [\"SuggestionState\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ledger($filter: SuggestionFilter, $sort: SuggestionSort!) {\n    exportSuggestions(filter: $filter, sort: $sort) { fileName mediaType contentBase64 rowCount }\n  }\n"): (typeof documents)["\n  query Ledger($filter: SuggestionFilter, $sort: SuggestionSort!) {\n    exportSuggestions(filter: $filter, sort: $sort) { fileName mediaType contentBase64 rowCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShowRecord($id: ID!) {\n    node(id: $id) {\n      ... on RectificationRecord {\n        deadline overdue hearingOn closedAt\n        units { name }\n        answers { kind text writtenBy writtenAt unit { name } }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        nextSteps { name label mutation }\n      }\n      ... on Opinion { id title stage meeting meetingOn subject issuedOn opinionState: state points { number text rectified } }\n      ... on AuditFinding { id number title description auditYear auditor category issuedOn findingState: state amount }\n      ... on BudgetWarning { id number title message period severity warningState: state figures { label value unit } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"OpinionStage\", \"AnswerKind\", \"SupervisionMethod\", \"Severity\"]) {\n      name values { value label }\n    }\n  }\n"): (typeof documents)["\n  query ShowRecord($id: ID!) {\n    node(id: $id) {\n      ... on RectificationRecord {\n        deadline overdue hearingOn closedAt\n        units { name }\n        answers { kind text writtenBy writtenAt unit { name } }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        nextSteps { name label mutation }\n      }\n      ... on Opinion { id title stage meeting meetingOn subject issuedOn opinionState: state points { number text rectified } }\n      ... on AuditFinding { id number title description auditYear auditor category issuedOn findingState: state amount }\n      ... on BudgetWarning { id number title message period severity warningState: state figures { label value unit } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"OpinionStage\", \"AnswerKind\", \"SupervisionMethod\", \"Severity\"]) {\n      name values { value label }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rectifications($opinions: Boolean!, $findings: Boolean!, $warnings: Boolean!, $overdue: Boolean, $unitId: ID, $after: String) {\n    opinions(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $opinions) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id title state deadline overdue issuedOn units { name } } }\n    }\n    auditFindings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $findings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue issuedOn units { name } } }\n    }\n    budgetWarnings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $warnings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue period severity units { name } } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"Severity\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query Rectifications($opinions: Boolean!, $findings: Boolean!, $warnings: Boolean!, $overdue: Boolean, $unitId: ID, $after: String) {\n    opinions(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $opinions) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id title state deadline overdue issuedOn units { name } } }\n    }\n    auditFindings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $findings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue issuedOn units { name } } }\n    }\n    budgetWarnings(filter: { overdue: $overdue, unitId: $unitId }, first: 50, after: $after) @include(if: $warnings) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id number title state deadline overdue period severity units { name } } }\n    }\n    enumLabels(names: [\"RectificationState\", \"WarningState\", \"Severity\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadRegulation($id: ID!) {\n    regulation(id: $id) {\n      id title kind level region status documentNumber issuingBody promulgatedOn effectiveOn ineffectiveOn preamble\n      tableOfContents { kind label title firstArticle }\n      versions { id title status promulgatedOn effectiveOn }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\", \"HeadingKind\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query ReadRegulation($id: ID!) {\n    regulation(id: $id) {\n      id title kind level region status documentNumber issuingBody promulgatedOn effectiveOn ineffectiveOn preamble\n      tableOfContents { kind label title firstArticle }\n      versions { id title status promulgatedOn effectiveOn }\n    }\n    enumLabels(names: [\"RegulationKind\", \"Level\", \"RegulationStatus\", \"HeadingKind\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegulationArticles($id: ID!, $after: String) {\n    regulation(id: $id) {\n      articles(first: 100, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { number label heading text } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RegulationArticles($id: ID!, $after: String) {\n    regulation(id: $id) {\n      articles(first: 100, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { number label heading text } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VersionInForce($id: ID!, $on: Date!) {\n    regulation(id: $id) { versionInForce(on: $on) { id } }\n  }\n"): (typeof documents)["\n  query VersionInForce($id: ID!, $on: Date!) {\n    regulation(id: $id) { versionInForce(on: $on) { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      user { username displayName role }\n      errors { field code message }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      user { username displayName role }\n      errors { field code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Statistics($groupBy: StatsGrouping!) {\n    suggestionStats(groupBy: $groupBy) {\n      key total replied onTime satisfied closed overdue replyRate onTimeRate satisfactionRate closureRate\n      unit { name }\n      session { name }\n    }\n    hotTopics(limit: 10) { categories { value count } keywords { value count } }\n  }\n"): (typeof documents)["\n  query Statistics($groupBy: StatsGrouping!) {\n    suggestionStats(groupBy: $groupBy) {\n      key total replied onTime satisfied closed overdue replyRate onTimeRate satisfactionRate closureRate\n      unit { name }\n      session { name }\n    }\n    hotTopics(limit: 10) { categories { value count } keywords { value count } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShowSuggestion($id: ID!) {\n    node(id: $id) {\n      ... on Suggestion {\n        id numberLabel title body category keywords state deadline overdue daysLeft filedAt satisfaction followed\n        leadDeputy { id name delegation }\n        cosigners { id name }\n        leadUnit { name }\n        coUnits { name }\n        nextSteps { name label mutation }\n        replies {\n          round unitRole text resultClass repliedAt onTime\n          unit { name }\n          commitments { id text dueOn done }\n        }\n        evaluations { round satisfaction note evaluatedAt }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        spending {\n          year month\n          total { adjusted executed executionRate timeProgress gap }\n          monthly { month adjusted executed executionRate timeProgress }\n          links {\n            link { id kind project departmentCode classification classificationName department { name } }\n            figures { adjusted executed executionRate }\n            projects { code name total planned paid paymentRate status }\n          }\n        }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\", \"ResultClass\", \"Satisfaction\", \"UnitRole\", \"LinkKind\", \"ProjectStatus\", \"SupervisionMethod\"]) {\n      name values { value label }\n    }\n  }\n"): (typeof documents)["\n  query ShowSuggestion($id: ID!) {\n    node(id: $id) {\n      ... on Suggestion {\n        id numberLabel title body category keywords state deadline overdue daysLeft filedAt satisfaction followed\n        leadDeputy { id name delegation }\n        cosigners { id name }\n        leadUnit { name }\n        coUnits { name }\n        nextSteps { name label mutation }\n        replies {\n          round unitRole text resultClass repliedAt onTime\n          unit { name }\n          commitments { id text dueOn done }\n        }\n        evaluations { round satisfaction note evaluatedAt }\n        supervisionRecords { heldOn method note recordedBy }\n        timeline { action actionLabel actorName at fromStateLabel toStateLabel note }\n        spending {\n          year month\n          total { adjusted executed executionRate timeProgress gap }\n          monthly { month adjusted executed executionRate timeProgress }\n          links {\n            link { id kind project departmentCode classification classificationName department { name } }\n            figures { adjusted executed executionRate }\n            projects { code name total planned paid paymentRate status }\n          }\n        }\n      }\n    }\n    enumLabels(names: [\"SuggestionState\", \"ResultClass\", \"Satisfaction\", \"UnitRole\", \"LinkKind\", \"ProjectStatus\", \"SupervisionMethod\"]) {\n      name values { value label }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteCommitment($input: CompleteCommitmentInput!) {\n    completeCommitment(input: $input) { suggestion { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation CompleteCommitment($input: CompleteCommitmentInput!) {\n    completeCommitment(input: $input) { suggestion { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowSuggestion($input: FollowSuggestionInput!) {\n    followSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation FollowSuggestion($input: FollowSuggestionInput!) {\n    followSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnfollowSuggestion($input: FollowSuggestionInput!) {\n    unfollowSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation UnfollowSuggestion($input: FollowSuggestionInput!) {\n    unfollowSuggestion(input: $input) { suggestion { id followed } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyDeputy { me { user { deputy { id } } } }"): (typeof documents)["query MyDeputy { me { user { deputy { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTokens {\n    me { apiTokens(first: 100) { edges { node { id kind name prefix createdAt expiresAt revokedAt lastUsedAt } } } }\n    enumLabels(names: [\"TokenKind\"]) { name values { value label } }\n  }\n"): (typeof documents)["\n  query MyTokens {\n    me { apiTokens(first: 100) { edges { node { id kind name prefix createdAt expiresAt revokedAt lastUsedAt } } } }\n    enumLabels(names: [\"TokenKind\"]) { name values { value label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { token apiToken { id } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { token apiToken { id } errors { field code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) { apiToken { id revokedAt } errors { field code message } }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) { apiToken { id revokedAt } errors { field code message } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;