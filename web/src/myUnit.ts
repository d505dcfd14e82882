// The caller's own unit (handlers, and finance when linked to its bureau): their lists are
// of their unit's records, not every record they may read.
import { useQuery } from "@urql/vue";
import { computed, type ComputedRef } from "vue";
import { graphql } from "./gql";
import { session } from "./session";

const MyUnit = graphql(`query MyUnit { me { user { unit { id name } } } }`);

export function useMyUnit(): {
  unit: ComputedRef<{ id: string; name: string } | null>;
  /** Whether lists should be of the unit's own records (and wait for it). */
  own: ComputedRef<boolean>;
  /** The account should have a unit and has none: nothing to list. */
  unlinked: ComputedRef<boolean>;
} {
  const mine = useQuery({ query: MyUnit });
  const unit = computed(() => mine.data.value?.me?.user.unit ?? null);
  const own = computed(() => ["HANDLER", "FINANCE"].includes(session.current?.user.role ?? ""));
  const unlinked = computed(() => own.value && Boolean(mine.data.value) && !unit.value);
  return { unit, own, unlinked };
}
