import urql from "@urql/vue";
import { createApp } from "vue";
import App from "./App.vue";
import { client } from "./client";
import { router } from "./router";
import "./style.css";

createApp(App).use(router).use(urql, client).mount("#app");
