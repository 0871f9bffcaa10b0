// The social scenario's input (io/social.hpp): the CSV reader (quotes, doubled quotes, commas and
// line breaks inside quotes, CRLF, comments), UTF-8 checking, users.csv and posts.csv against a
// graph's ids with every error at its path:line, a friendship naming a missing user at the edge
// list's line, the user lookup, output.arrivals, and the [posts] configuration keys.
#include <doctest/doctest.h>

#include "config/config_toml.hpp"
#include "core/error.hpp"
#include "io/social.hpp"
#include "support.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;

namespace {

std::vector<std::vector<std::string>> records(std::string_view text) {
  io::CsvReader r(text, "f.csv");
  std::vector<std::vector<std::string>> out;
  std::vector<io::CsvField> rec;
  while (r.next(rec)) {
    out.emplace_back();
    for (const auto& f : rec) out.back().push_back(f.value);
  }
  return out;
}

std::vector<std::uint64_t> lines(std::string_view text) {  // the line each field starts on
  io::CsvReader r(text, "f.csv");
  std::vector<std::uint64_t> out;
  std::vector<io::CsvField> rec;
  while (r.next(rec))
    for (const auto& f : rec) out.push_back(f.line);
  return out;
}

std::string csv_error(std::string_view text) {
  return gossip::test::input_error([&] { return records(text); });
}

const io::NodeIds kFour{4, {}, 0};

std::string users_error(std::string_view text, io::NodeIds ids = kFour) {
  return gossip::test::input_error([&] { return io::read_users(text, "u.csv", ids); });
}

std::string posts_error(std::string_view text, io::NodeIds ids = kFour) {
  return gossip::test::input_error([&] { return io::read_posts(text, "p.csv", ids); });
}

std::string usage_error(const std::vector<std::string>& sets) {
  try {
    load_config(std::nullopt, sets);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

GraphOptions graph_options(const std::string& source) {
  GraphOptions o = SimConfig{}.graph;
  o.source = source;
  return o;
}

}  // namespace

TEST_CASE("CSV: quoted fields hold commas, doubled quotes and line breaks; CRLF, comments, blank lines, a BOM") {
  using R = std::vector<std::vector<std::string>>;
  CHECK(records("a,b\n1,2\n") == R{{"a", "b"}, {"1", "2"}});
  CHECK(records("a,b\r\n1,\"x, y\"\r\n") == R{{"a", "b"}, {"1", "x, y"}});
  CHECK(records("t\n\"say \"\"hi\"\"\"\n") == R{{"t"}, {"say \"hi\""}});
  CHECK(records("t,u\n\"two\nlines\",z\n") == R{{"t", "u"}, {"two\nlines", "z"}});
  CHECK(records("t\n\"crlf\r\ninside\"\r\n") == R{{"t"}, {"crlf\ninside"}});  // CRLF inside quotes: "\n"
  CHECK(records("\xEF\xBB\xBF# c\n\n  \na, b \n# x\n 1 ,\" 2 \"\n\n") == R{{"a", "b"}, {"1", " 2 "}});
  CHECK(records("a,b,\n,,\n") == R{{"a", "b", ""}, {"", "", ""}});  // empty fields
  CHECK(records("a\n\"\"") == R{{"a"}, {""}});                       // no final line break
  CHECK(records("x\n\"#not a comment\"\n") == R{{"x"}, {"#not a comment"}});
  CHECK(records("").empty());
  // Lines go on counting inside quotes: each field names the line it starts on.
  CHECK(lines("a,b\n\"1\n2\n3\",x\n\ny,\"p\nq\"\nz,w\n") == std::vector<std::uint64_t>{1, 1, 2, 4, 6, 6, 8, 8});
}

TEST_CASE("UTF-8: well-formed sequences pass; overlongs, surrogates, > U+10FFFF, stray and cut bytes, NUL fail") {
  CHECK(io::invalid_utf8("plain, \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF") == std::string_view::npos);
  CHECK(io::invalid_utf8("ab\xC0\x80") == 2);              // overlong NUL
  CHECK(io::invalid_utf8("\xE0\x80\x80") == 0);            // overlong 3-byte
  CHECK(io::invalid_utf8("\xED\xA0\x80") == 0);            // surrogate U+D800
  CHECK(io::invalid_utf8("x\xF4\x90\x80\x80") == 1);       // U+110000
  CHECK(io::invalid_utf8("\x80") == 0);                    // a continuation byte alone
  CHECK(io::invalid_utf8("abc\xE2\x82") == 3);             // cut at the end
  CHECK(io::invalid_utf8("\xE2\x82x") == 0);               // cut by an ASCII byte
  CHECK(io::invalid_utf8("\xFF") == 0);
  CHECK(io::invalid_utf8(std::string_view("a\0b", 3)) == 1);
}

TEST_CASE("CSV errors: the line the problem is on, after quoted line breaks too") {
  CHECK(csv_error("a\n\"open\n\nnever closed\n") ==
        "f.csv:2: expected a closing quote for the field opened on this line, found end of file");
  CHECK(csv_error("a\n\"x\"y,z\n") ==
        "f.csv:2: expected a comma or the end of the line after a closing quote, found 'y' (a quote inside a quoted "
        "field is written twice: \"\")");
  CHECK(csv_error("a\n\"1\n2\"\nsay \"hi\"\n") ==
        "f.csv:4: expected a field without quotes or one in quotes (\"...\", a quote inside written twice), found "
        "'say \"hi\"'");
  CHECK(csv_error("a\n\"x\ny\"\nok\nb\xFF\n") == "f.csv:5: expected UTF-8 text, found the byte 0xff (not UTF-8)");
  CHECK(csv_error("a\n\"\xC3\x28\"\n") == "f.csv:2: expected UTF-8 text, found the byte 0xc3 (not UTF-8)");
  CHECK(csv_error(std::string_view("a\nb\0\n", 5)) == "f.csv:2: expected text, found a NUL byte");
}

TEST_CASE("users.csv: a name per node, ids as the graph file names them, any column order, extra columns") {
  const auto u = io::read_users("# users\nid,name,age\n2,Charlie,30\n0,\"Alice, A.\",1\n1, Bob ,2\n3,\"\"\"D\"\"\",4\n",
                                "u.csv", kFour);
  CHECK(u.names == std::vector<std::string>{"Alice, A.", "Bob", "Charlie", "\"D\""});
  CHECK(u.missing.empty());
  const std::vector<std::uint64_t> original{10, 20, 30};
  const auto r = io::read_users("name,id\nx,30\ny,10\n", "u.csv", {3, original, 0});
  CHECK(r.names == std::vector<std::string>{"y", "", "x"});
  CHECK(r.missing == std::vector<NodeId>{1});
  CHECK(r.end_line == 4);
  CHECK(io::read_users("id,name\n1,a\n2,b\n", "u.csv", {2, {}, 1}).names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("users.csv errors: path:line, expected and found") {
  CHECK(users_error("") == "u.csv:1: expected a header row naming the columns (id,name), found end of file");
  CHECK(users_error("# nothing\n\n") == "u.csv:3: expected a header row naming the columns (id,name), found end of file");
  CHECK(users_error("id,nick\n0,a\n") == "u.csv:1: expected a column named 'name' in the header, found the columns id,nick");
  CHECK(users_error("\nid,name,id\n") == "u.csv:2: expected distinct column names, found 'id' twice");
  CHECK(users_error("id,name\n0,a\n7,b\n") == "u.csv:3: expected a user id that is a node of the graph (n = 4, ids 0 to 3), found 7");
  CHECK(users_error("id,name\n0,a\n1,b\n0,c\n") == "u.csv:4: expected each user once, found user id 0 again (first on line 2)");
  CHECK(users_error("id,name\n0,a\n1,\n") == "u.csv:3: expected a name for user 1, found an empty field");
  CHECK(users_error("id,name\n0,\"a\nb\"\n") == "u.csv:2: expected a name on one line for user 0, found a line break in it");
  CHECK(users_error("id,name\n-1,a\n") == "u.csv:2: expected a user id, found '-1' (ids must not be negative)");
  CHECK(users_error("id,name\nAlice,a\n") == "u.csv:2: expected a user id, found 'Alice'");
  CHECK(users_error("id,name\n0,a\n1\n") == "u.csv:3: expected 2 fields (id,name), found 1");
  CHECK(users_error("id,name\n0,Smith, John\n") ==
        "u.csv:2: expected 2 fields (id,name), found 3 (a field that holds a comma must be in quotes)");
  // After a name over two lines the next row's line is right.
  CHECK(users_error("id,name,note\n0,a,\"x\ny\"\n0,b,z\n") ==
        "u.csv:4: expected each user once, found user id 0 again (first on line 2)");
  const std::vector<std::uint64_t> original{10, 20};
  CHECK(users_error("id,name\n11,a\n", {2, original, 0}) ==
        "u.csv:2: expected a user id that is a node of the graph (n = 2, its original ids), found 11");
}

TEST_CASE("posts.csv: authors by user id, created rounds, texts with commas, quotes and line breaks; ids") {
  const auto p = io::read_posts(
      "author,created,text\n0,0,\"Hello, this is my first post!\"\n1,0,\"Hey, I'm new here too!\"\n"
      "2,1,Greetings from Charlie!\n3,5,\"two\nlines, \"\"quoted\"\"\"\n",
      "p.csv", kFour);
  CHECK(p.list == std::vector<PostSeed>{{0, 0, 0}, {1, 1, 0}, {2, 2, 1}, {3, 3, 5}});
  CHECK(p.texts == std::vector<std::string>{"Hello, this is my first post!", "Hey, I'm new here too!",
                                            "Greetings from Charlie!", "two\nlines, \"quoted\""});
  const std::vector<std::uint64_t> original{10, 20};
  const auto q = io::read_posts("id,text,created,author,extra\n7,x,3,20,\n2147483647,,0,10,e\n", "p.csv", {2, original, 0});
  CHECK(q.list == std::vector<PostSeed>{{7, 1, 3}, {2147483647u, 0, 0}});
  CHECK(q.texts == std::vector<std::string>{"x", ""});
}

TEST_CASE("posts.csv errors: path:line, expected and found") {
  CHECK(posts_error("author,created\n0,0\n") ==
        "p.csv:1: expected a column named 'text' in the header, found the columns author,created");
  CHECK(posts_error("author,created,text\n") == "p.csv:2: expected at least one post after the header, found end of file");
  CHECK(posts_error("author,created,text\n0,0,a\n9,0,b\n") ==
        "p.csv:3: expected an author that is a user of the graph (n = 4, ids 0 to 3), found user id 9");
  CHECK(posts_error("author,created,text\nBob,0,b\n") == "p.csv:2: expected an author (a user id), found 'Bob'");
  CHECK(posts_error("author,created,text\n0,-1,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found '-1' (negative)");
  CHECK(posts_error("author,created,text\n0,1.5,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found '1.5' (not a whole number)");
  CHECK(posts_error("author,created,text\n0,2.0,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found '2.0' (write it in digits only)");
  CHECK(posts_error("author,created,text\n0,,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found '' (an empty field)");
  CHECK(posts_error("author,created,text\n0,soon,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found 'soon'");
  CHECK(posts_error("author,created,text\n0,3000000000,a\n") ==
        "p.csv:2: expected a created round (a whole number in [0, 2147483646]), found '3000000000' (too large)");
  CHECK(posts_error("id,author,created,text\n5,0,0,\"a\nb\"\n6,1,0,c\n5,2,0,d\n") ==
        "p.csv:5: expected each post id once, found post id 5 again (first on line 2)");
  CHECK(posts_error("id,author,created,text\n2147483648,0,0,a\n") ==
        "p.csv:2: expected a post id (a whole number in [0, 2147483647]), found '2147483648' (too large)");
  CHECK(posts_error("author,created,text\n0,0\n") == "p.csv:2: expected 3 fields (author,created,text), found 2");
  CHECK(posts_error("author,created,text\n0,0,Hello, world\n") ==
        "p.csv:2: expected 3 fields (author,created,text), found 4 (a field that holds a comma must be in quotes)");
  // A text over lines: the next row's error names its own line.
  CHECK(posts_error("author,created,text\n0,0,\"one\ntwo\nthree\"\n1,-2,x\n") ==
        "p.csv:5: expected a created round (a whole number in [0, 2147483646]), found '-2' (negative)");
  // An author that joins after the post's round (network.join), as a source that joins later.
  std::string why;
  const auto join = parse_join("linear:per_round=1,start=3", why);  // node 3 joins in round 1
  REQUIRE(join);
  CHECK(io::read_posts("author,created,text\n3,1,ok\n", "p.csv", kFour, &*join).list.size() == 1);
  CHECK(gossip::test::input_error([&] { return io::read_posts("author,created,text\n0,0,a\n3,0,b\n", "p.csv", kFour, &*join); }) ==
        "p.csv:3: expected a post created when its author is present, found round 0 and user id 3, who joins in round 1 "
        "(network.join = 'linear:per_round=1,start=3')");
  CHECK(posts_error("author,created,text\n0,0,\"caf\xC3\"\n") == "p.csv:2: expected UTF-8 text, found the byte 0xc3 (not UTF-8)");
}

TEST_CASE("a friendship naming a user that users.csv lacks: the edge list's line") {
  const std::string edges = "# friends\nfrom to\n0 1\n% x\n1 2\n\n2,7\n";
  const std::vector<std::uint64_t> missing{7};
  CHECK(io::friendship_naming_missing(edges, "e.txt", 1, missing, "u.csv") ==
        "e.txt:7:3: expected friendships between users of u.csv (posts.users), found user id 7, which it does not list");
  const std::vector<std::uint64_t> none{9};
  CHECK(!io::friendship_naming_missing(edges, "e.txt", 1, none, "u.csv"));
}

TEST_CASE("load_scenario: files against a real graph; generated posts' texts; names or ids") {
  const TempFile edges("0 1\n1 2\n0 3\n", ".txt");
  const GraphOptions opt = graph_options(edges.path);
  const Graph g = open_graph(opt);
  const TempFile users("id,name\n0,Alice\n1,Bob\n2,Charlie\n3,Dave\n", ".csv");
  const TempFile posts("author,created,text\n0,0,hi\n3,4,\"Hello from Dave!\"\n", ".csv");
  io::PostsConfig pc{.users = users.path, .file = posts.path, .count = 0, .rate = 1.0, .lifetime = 9};
  const io::Scenario s = io::load_scenario(pc, g, opt, JoinSpec{});
  CHECK(s.names == std::vector<std::string>{"Alice", "Bob", "Charlie", "Dave"});
  CHECK(s.texts == std::vector<std::string>{"hi", "Hello from Dave!"});
  CHECK(s.spec.list == std::vector<PostSeed>{{0, 0, 0}, {1, 3, 4}});
  CHECK(s.spec.lifetime == 9);
  CHECK(!s.spec.arrivals);
  CHECK(s.user_name(3) == "Dave");
  CHECK(io::find_user(s, "Charlie") == 2);
  CHECK(io::find_user(s, "1") == 1);

  // Dave missing from users.csv: blamed on the first edge that names him.
  const TempFile three("id,name\n0,Alice\n1,Bob\n2,Charlie\n", ".csv");
  pc.users = three.path;
  CHECK(gossip::test::input_error([&] { return io::load_scenario(pc, g, opt, JoinSpec{}); }) ==
        edges.path + ":3:3: expected friendships between users of " + three.path +
            " (posts.users), found user id 3, which it does not list");
  // A generated graph has no edge list: the users file is blamed.
  const GraphOptions ring = graph_options("ring:n=4");
  CHECK(gossip::test::input_error([&] { return io::load_scenario(pc, open_graph(ring), ring, JoinSpec{}); }) ==
        three.path + ":5: expected a row for each node of the graph (n = 4, ids 0 to 3), found 3 rows (none for node id 3)");

  // Generated posts (the caller draws them): texts "post K"; no users file: names are ids.
  const io::Scenario gen = io::load_scenario({.users = "", .file = "", .count = 2, .rate = 1.0, .lifetime = 0}, g, opt,
                                             JoinSpec{}, {{0, 2, 0}, {1, 0, 1}});
  CHECK(gen.names.empty());
  CHECK(gen.texts == std::vector<std::string>{"post 0", "post 1"});
  CHECK(gen.user_name(2) == "2");
}

TEST_CASE("find_user: a name, else an id; ambiguous names and unknown users are errors") {
  const std::vector<std::string> names{"Ann", "Bob", "Ann", "7"};
  const std::vector<std::uint64_t> ids{5, 6, 7, 8};
  CHECK(io::find_user(names, ids, "Bob") == 1);
  CHECK(io::find_user(names, ids, "6") == 1);  // no user is named 6: user id 6
  CHECK(io::find_user(names, ids, "7") == 3);  // a name goes before an id
  CHECK_THROWS_WITH_AS(io::find_user(names, ids, "Ann"), "user name 'Ann' is ambiguous: users 5, 7 have it (name one by its id)",
                       UsageError);
  CHECK_THROWS_WITH_AS(io::find_user(names, ids, "Eve"), "unknown user 'Eve' (no user has that name or id)", UsageError);
  CHECK_THROWS_WITH_AS(io::find_user({}, ids, "4"), "unknown user '4' (no user has that id)", UsageError);
  CHECK(io::find_user({}, ids, "8") == 3);
}

TEST_CASE("output.arrivals: auto is on up to users x posts = 2^24") {
  CHECK(io::arrivals_on("auto", 4, 4));
  CHECK(io::arrivals_on("auto", 1 << 14, 1 << 10));
  CHECK(!io::arrivals_on("auto", (1 << 14) + 1, 1 << 10));
  CHECK(!io::arrivals_on("auto", 1000000, 1024));
  CHECK(io::arrivals_on("on", 1000000, 1024));
  CHECK(!io::arrivals_on("off", 4, 4));
}

TEST_CASE("[posts] keys: defaults, TOML round trip, relative paths, and the combinations refused") {
  const SimConfig d;
  CHECK(d.posts == io::PostsConfig{.users = "", .file = "", .count = 0, .rate = 1.0, .lifetime = 0});
  CHECK(d.output.arrivals == "auto");
  const SimConfig c = load_config(std::nullopt, {"posts.count=1024", "posts.rate=10.24", "posts.lifetime=50",
                                                 "output.arrivals=off", "protocol.mode=flood", "protocol.ttl=254"});
  CHECK(c.posts.count == 1024);
  CHECK(c.posts.rate == 10.24);
  CHECK(c.posts.lifetime == 50);
  CHECK(load_config_text(to_toml(c), "t").posts == c.posts);
  CHECK(load_config_text(to_toml(c), "t").output.arrivals == "off");

  const TempFile cfg("[posts]\nusers = \"users.csv\"\nfile = \"sub/posts.csv\"\n");
  const auto dir = std::filesystem::path(cfg.path).parent_path();
  const SimConfig f = load_config(cfg.path, {});
  CHECK(f.posts.users == (dir / "users.csv").string());
  CHECK(f.posts.file == (dir / "sub/posts.csv").string());
  CHECK(load_config(cfg.path, {"posts.users=here.csv"}).posts.users == "here.csv");  // --set: as given

  CHECK(usage_error({"posts.file=p.csv", "posts.count=3"}) ==
        "posts.file and posts.count = 3 exclude each other (posts come from a file or are generated)");
  CHECK(usage_error({"posts.count=3", "posts.rate=0"}) == "--set posts.rate=0: posts.rate must be in (0, 1000000000], got 0");
  CHECK(usage_error({"posts.count=3", "posts.rate=-1"}) == "--set posts.rate=-1: posts.rate must be in (0, 1000000000], got -1");
  CHECK(usage_error({"posts.count=2147483649"}) ==
        "--set posts.count=2147483649: posts.count must be in [0, 2147483648], got 2147483649");
  CHECK(usage_error({"posts.users=u.csv"}) == "posts.users needs posts (posts.file or posts.count)");
  CHECK(usage_error({"posts.lifetime=5"}) == "posts.lifetime needs posts (posts.file or posts.count)");
  CHECK(usage_error({"posts.rate=2"}) == "posts.rate needs posts (posts.file or posts.count)");
  CHECK(usage_error({"output.arrivals=on"}) == "output.arrivals = 'on' needs posts (posts.file or posts.count)");
  CHECK(usage_error({"output.arrivals=some"}) == "output.arrivals must be one of auto, on, off, got 'some'");
  CHECK(usage_error({"posts.file=p.csv", "posts.rate=2"}) ==
        "posts.rate needs posts.count (the posts of posts.file have their own created rounds)");
  CHECK(usage_error({"posts.count=3", "protocol.mode=averaging"}) ==
        "protocol.mode = 'averaging' cannot be used with posts (posts.count): posts spread as rumors");
  CHECK(usage_error({"posts.count=3", "protocol.stop=feedback-counter", "protocol.k=255"}) == "no error");
  CHECK(usage_error({"posts.count=3", "protocol.stop=feedback-counter", "protocol.k=256"}) ==
        "protocol.k = 256 cannot be used with posts (posts.count): a counter stop rule keeps one byte per user and post "
        "(at most 255)");
  CHECK(usage_error({"posts.count=3", "protocol.stop=blind-coin", "protocol.k=1000"}) == "no error");
  CHECK(usage_error({"posts.count=3", "protocol.mode=flood", "protocol.stop=blind-coin"}) ==
        "protocol.stop = 'blind-coin' requires protocol.mode = 'push'");
  CHECK(usage_error({"posts.file=p.csv", "protocol.no_repeat=true"}) == "no error");  // posts run them
  CHECK(usage_error({"posts.count=3", "protocol.mode=flood", "protocol.recovery_prob=0.5"}) == "no error");
  CHECK(usage_error({"posts.count=3", "protocol.sources=2"}) ==
        "protocol.sources cannot be used with posts (posts.count): each post starts at its author");
  CHECK(usage_error({"posts.count=3", "protocol.source_nodes=[1]"}) ==
        "protocol.source_nodes cannot be used with posts (posts.count): each post starts at its author");
  CHECK(usage_error({"posts.count=3", "protocol.mode=flood", "run.packed=on"}) ==
        "run.packed = 'on' cannot be used with posts (posts.count): posts are packed 64 to a word already");
  CHECK(usage_error({"posts.count=3", "run.stop_coverage=0.5"}) == "no error");
  CHECK(usage_error({"posts.count=3", "protocol.ttl=255"}) ==
        "protocol.ttl = 255 is too large with posts: at most 254 (a post's hops are one byte)");
  CHECK(usage_error({"posts.count=3", "protocol.mode=flood", "protocol.forward_prob=0.5", "protocol.ttl=3",
                     "faults.delay=uniform:min=0,max=2", "faults.churn=bernoulli:fail=0.01,recover=0.1"}) == "no error");
}
