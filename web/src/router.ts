// The workbench's addresses. Each screen names the roles whose work it is; a visitor who is
// not signed in goes to sign in and comes back.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { session, type Role } from "./session";

declare module "vue-router" {
  interface RouteMeta {
    roles?: Role[];
    title: string;
  }
}

const DEPUTY_SIDE: Role[] = ["DEPUTY", "STAFF", "ADMIN"];

const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: () => import("./views/HomeView.vue"), meta: { title: "工作台" } },
  { path: "/signin", name: "signin", component: () => import("./views/SignInView.vue"), meta: { title: "登录" } },
  { path: "/library", name: "library", component: () => import("./views/LibraryView.vue"), meta: { title: "法规检索" } },
  { path: "/regulations/:id", name: "regulation", component: () => import("./views/RegulationView.vue"), meta: { title: "法规" } },
  { path: "/my/suggestions", name: "my-suggestions", component: () => import("./views/MySuggestionsView.vue"), meta: { title: "我的建议", roles: ["DEPUTY"] } },
  { path: "/suggestions", name: "all-suggestions", component: () => import("./views/QueueView.vue"), meta: { title: "建议查阅", roles: ["DEPUTY"] } },
  { path: "/work", name: "work", component: () => import("./views/QueueView.vue"), meta: { title: "建议办理", roles: ["STAFF", "ADMIN"] } },
  { path: "/unit/queue", name: "unit-queue", component: () => import("./views/QueueView.vue"), meta: { title: "办理队列", roles: ["HANDLER"] } },
  { path: "/statistics", name: "statistics", component: () => import("./views/StatisticsView.vue"), meta: { title: "统计与热点", roles: ["STAFF", "ADMIN"] } },
  { path: "/budget/files", name: "budget-files", component: () => import("./views/BudgetFilesView.vue"), meta: { title: "预算文件", roles: ["FINANCE", "ADMIN"] } },
  { path: "/notifications", name: "notifications", component: () => import("./views/NotificationsView.vue"), meta: { title: "通知", roles: ["DEPUTY", "STAFF", "HANDLER", "FINANCE", "ADMIN"] } },
  { path: "/my/tokens", name: "tokens", component: () => import("./views/TokensView.vue"), meta: { title: "接口令牌", roles: ["DEPUTY", "STAFF", "HANDLER", "FINANCE", "ADMIN"] } },
  { path: "/accounts", name: "accounts", component: () => import("./views/AccountsView.vue"), meta: { title: "账号管理", roles: ["ADMIN"] } },
  { path: "/my/library", name: "my-library", component: () => import("./views/MyLibraryView.vue"), meta: { title: "收藏与摘录", roles: ["DEPUTY", "STAFF", "HANDLER", "FINANCE", "ADMIN"] } },
  { path: "/my/suggestions/:id/edit", name: "edit-suggestion", component: () => import("./views/NewSuggestionView.vue"), meta: { title: "修改草稿", roles: ["DEPUTY"] } },
  { path: "/my/suggestions/new", name: "new-suggestion", component: () => import("./views/NewSuggestionView.vue"), meta: { title: "起草建议", roles: ["DEPUTY"] } },
  { path: "/overview", name: "overview", component: () => import("./views/OverviewView.vue"), meta: { title: "监督总览", roles: ["STAFF", "ADMIN", "HANDLER", "FINANCE", "DEPUTY"] } },
  { path: "/supervision", name: "rectifications", component: () => import("./views/RectificationsView.vue"), meta: { title: "整改督办", roles: ["STAFF", "ADMIN", "HANDLER", "FINANCE", "DEPUTY"] } },
  { path: "/records/:id", name: "record", component: () => import("./views/RecordView.vue"), meta: { title: "整改记录", roles: ["STAFF", "ADMIN", "HANDLER", "FINANCE", "DEPUTY"] } },
  { path: "/suggestions/:id", name: "suggestion", component: () => import("./views/SuggestionView.vue"), meta: { title: "建议", roles: [...DEPUTY_SIDE, "HANDLER"] } },
  { path: "/:rest(.*)*", name: "missing", component: () => import("./views/MissingView.vue"), meta: { title: "没有这个页面" } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior(to, _from, saved) {
    if (saved) return saved;
    if (to.hash) return { el: decodeURIComponent(to.hash), top: 16 };
    return { top: 0 };
  },
});

router.beforeEach((to) => {
  const user = session.current?.user;
  if (to.name !== "signin" && to.name !== "library" && to.name !== "regulation" && !user) {
    return { name: "signin", query: { next: to.fullPath } };
  }
  if (to.meta.roles && user && !to.meta.roles.includes(user.role)) {
    return { name: "home" };
  }
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title} · 监督`;
});
