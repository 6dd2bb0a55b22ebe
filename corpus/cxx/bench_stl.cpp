// Benchmark, C++ STL: std::string building, std::map word counts, std::sort of strings and
// of (count, word) pairs, std::unordered_map and std::set lookups. argv[1] scales the text
// length (1: a test-suite run). Only counts, the top words and a hash are printed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

int main(int argc, char **argv) {
  int scale = argc > 1 ? std::atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  const std::size_t count = static_cast<std::size_t>(scale) * 2000;

  // Words from a skewed distribution (Zipf-like: low ranks far more often), as text has.
  std::uint64_t x = 0x853c49e6748fea9bull;
  auto next = [&x]() {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(x >> 33);
  };
  std::vector<std::string> words;
  words.reserve(count);
  static const char *const syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "xe", "zu"};
  for (std::size_t i = 0; i < count; i++) {
    std::uint32_t r = next() % 4096;
    std::uint32_t rank = (r * r) >> 12;  // squares cluster near 0
    std::string w;
    do {
      w += syllables[rank % 10];
      rank /= 10;
    } while (rank);
    words.push_back(std::move(w));
  }

  std::map<std::string, int> counts;
  for (const auto &w : words) counts[w]++;

  std::vector<std::pair<int, std::string>> ranked;
  for (const auto &[w, c] : counts) ranked.emplace_back(-c, w);
  std::sort(ranked.begin(), ranked.end());
  std::printf("%zu words, %zu distinct; top:", words.size(), counts.size());
  for (std::size_t i = 0; i < 5 && i < ranked.size(); i++) std::printf(" %s=%d", ranked[i].second.c_str(), -ranked[i].first);
  std::printf("\n");

  std::vector<std::string> sorted = words;
  std::sort(sorted.begin(), sorted.end(), [](const std::string &a, const std::string &b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const auto &w : sorted) {
    for (unsigned char c : w) hash = (hash ^ c) * 0x100000001b3ull;
    hash = (hash ^ ' ') * 0x100000001b3ull;
  }
  std::printf("sorted by length then text: first %s last %s hash %016llx\n", sorted.front().c_str(), sorted.back().c_str(),
              static_cast<unsigned long long>(hash));

  std::unordered_map<std::string, std::size_t> first_seen;
  std::set<std::string> long_words;
  for (std::size_t i = 0; i < words.size(); i++) {
    first_seen.emplace(words[i], i);
    if (words[i].size() > 4) long_words.insert(words[i] + "/" + std::to_string(i % 97));
  }
  std::uint64_t seen = 0;
  for (const auto &[w, c] : counts) seen += first_seen.at(w) * static_cast<std::uint64_t>(c);
  std::string joined;
  for (const auto &w : long_words) {
    joined += w;
    if (joined.size() > 4096) joined.erase(0, 2048);
  }
  std::printf("first-seen sum %llu, %zu long words, tail %s\n", static_cast<unsigned long long>(seen), long_words.size(),
              joined.substr(joined.size() > 40 ? joined.size() - 40 : 0).c_str());
  return 0;
}
