// The posts part of a run's HDF5 output (docs/output.md, "Posts"): what the writer needs beyond
// the engine's numbers (user names, post texts), and the read side `gossipsim timeline` uses.
// The layout: /users (id, name), /posts (one row per post: id, author, created_round, text; per
// post and trial reach, rounds_50 .. rounds_full, max_hops, duplicates; reach_round per round,
// trial and post) and, with stored arrivals, /posts/arrivals (a sparse table, one row per first
// copy of a post at a user).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/memory.hpp"
#include "protocol/posts.hpp"
#include "sim/posts.hpp"

namespace gossip {

// The writer's input for a posts run (H5Writer::set_posts, before begin): the engine's list and
// the scenario's names and texts.
struct PostsMeta {
  PostsSpec spec;                  // list (ids, authors, created rounds), lifetime, arrivals
  std::vector<std::string> names;  // per node; empty: a node's name is its id (/users/id as text)
  std::vector<std::string> texts;  // per post in list order; empty: "post <id>"
};

// What a posts run's file holds, apart from the per-trial numbers.
struct StoredPosts {
  std::vector<std::uint64_t> user_id;  // /users/id, by node
  std::vector<std::string> user_name;  // /users/name, by node
  std::vector<PostSeed> list;          // /posts id, author (node), created_round
  std::vector<std::string> text;       // /posts/text
  Round lifetime = 0;                  // /posts attr lifetime
  bool arrivals = false;               // /posts/arrivals exists
  std::vector<std::int64_t> trial;     // /trials/trial by column (-1: not written)
  std::vector<std::int64_t> rounds;    // /trials/rounds by column (-1: the trial did not finish)
};

// Reads PATH's users, posts and trial columns (SWMR read, as read_output_state). InputError
// when PATH is not a readable gossipsim output or holds no posts.
StoredPosts read_posts(const std::string& path, bool file_locking);
// The same from a file already open (`file`: its HDF5 id; `path` names it in errors).
StoredPosts read_posts(std::int64_t file, const std::string& path);

// What the posts part of the writer allocates for a run of `trials` trials on n users: a trial's
// /posts rows, the arrivals' conversion blocks, and the HDF5 library's chunks of the posts
// datasets (held and compressed), from the shapes create_posts gives them; /users' columns at
// the start.
void posts_output_memory(MemoryPlan& m, const PostsSpec& spec, std::uint64_t n, std::uint64_t trials);

// Merge (output/h5_merge.cpp): copies the per-trial posts data of `src` (an open output whose
// trials start at column `column` of `dst`) into `dst`: the /posts metric columns, reach_round
// and the arrivals (appended after `dst`'s `rows` arrival rows; returns the new row count).
std::uint64_t merge_posts(std::int64_t src, std::int64_t dst, std::uint64_t column, std::uint64_t rows);

// One row of /posts/arrivals: a user's first copy of a post (its author's creation included).
struct StoredArrival {
  std::uint32_t post = 0;  // the post's row in /posts (not its id)
  NodeId user = 0;
  Round round = 0;
  std::uint16_t hops = 0;
};

// The arrivals of trial column `column` (only user `user`'s when given: the user column is read
// in blocks and the other columns at the matching rows alone), sorted by post row, then user.
// Empty when the trial stored none.
std::vector<StoredArrival> read_arrivals(const std::string& path, std::uint64_t column, bool file_locking,
                                         std::optional<NodeId> user = std::nullopt);

}  // namespace gossip
