package dev.quarry.controlplane.store;

import java.util.List;

/**
 * One page of an OpenAI list: its items in order, and whether more follow.
 *
 * @param items the page
 * @param hasMore whether a page after it has items
 */
public record OpenAiPage<T>(List<T> items, boolean hasMore) {
  public OpenAiPage {
    items = List.copyOf(items);
  }
}
