// How many notifications the caller has not read: shown in the header, asked again when
// the notifications page marks them read.
import { graphql } from "./gql";

export const Unread = graphql(`query Unread { me { unreadNotificationCount } }`);
