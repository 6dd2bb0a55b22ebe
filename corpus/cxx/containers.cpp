// The C++ runtime: iostreams (with float formatting), std::string, vector, map, sort,
// ostringstream, exceptions (unwinding through .eh_frame), virtual calls and static
// initialisation order.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Registry {
  std::vector<std::string> names;
  Registry() { names.push_back("static-init"); }
};
Registry registry;

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};

struct Circle : Shape {
  double r;
  explicit Circle(double r) : r(r) {}
  double area() const override { return M_PI * r * r; }
  std::string name() const override { return "circle(" + std::to_string(r) + ")"; }
};

struct Rect : Shape {
  double w, h;
  Rect(double w, double h) : w(w), h(h) {}
  double area() const override { return w * h; }
  std::string name() const override { return "rect"; }
};

int parse_positive(const std::string &s) {
  int v = std::stoi(s);
  if (v <= 0) throw std::domain_error("not positive: " + s);
  return v;
}

}  // namespace

int main() {
  std::cout << "registry: " << registry.names.front() << '\n';

  const std::string text =
      "the quick brown fox jumps over the lazy dog while the cat sleeps and the dog barks at the fox";
  std::map<std::string, int> counts;
  std::istringstream words(text);
  for (std::string w; words >> w;) ++counts[w];
  for (const auto &[word, n] : counts) std::cout << word << '=' << n << ' ';
  std::cout << '\n';

  std::vector<int> v(200);
  std::iota(v.begin(), v.end(), -100);
  std::uint32_t seed = 12345;
  for (auto &x : v) {
    seed = seed * 1103515245u + 12345u;
    x = static_cast<int>(seed >> 8) % 1000 - 500;
  }
  std::sort(v.begin(), v.end());
  std::cout << "sorted: first=" << v.front() << " last=" << v.back()
            << " sum=" << std::accumulate(v.begin(), v.end(), 0L) << " unique="
            << std::distance(v.begin(), std::unique(v.begin(), v.end())) << '\n';
  std::stable_sort(v.begin(), v.end(), [](int a, int b) { return std::abs(a) < std::abs(b); });
  std::cout << "by |x|:";
  for (int i = 0; i < 10; ++i) std::cout << ' ' << v[i];
  std::cout << '\n';

  std::ostringstream os;
  const double ds[] = {0.1, 1.0 / 3.0, 2.5, -0.0, 1e300, 6.02214076e23, 1e-310, NAN, INFINITY};
  for (double d : ds) os << d << ' ';
  os << '\n' << std::setprecision(17);
  for (double d : ds) os << d << ' ';
  os << '\n' << std::fixed << std::setprecision(3);
  for (double d : ds) os << std::setw(10) << d << '|';
  os << '\n' << std::scientific << std::setprecision(4);
  for (double d : ds) os << d << ' ';
  os << '\n' << std::hexfloat;
  for (double d : ds) os << d << ' ';
  std::cout << os.str() << '\n';
  std::cout << std::defaultfloat << std::showpos << 42 << ' ' << std::noshowpos << std::hex << 255 << ' '
            << std::oct << 8 << std::dec << ' ' << std::boolalpha << true << '\n';

  std::string s = "Hello, C++ World";
  std::string upper = s;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::cout << upper << " find(World)=" << s.find("World") << " substr=" << s.substr(7, 3)
            << " rfind(o)=" << s.rfind('o') << " npos=" << (s.find("zzz") == std::string::npos) << '\n';
  std::string big;
  for (int i = 0; i < 1000; ++i) big += std::to_string(i * i) + ',';
  std::cout << "big.size=" << big.size() << " hash-ish="
            << std::accumulate(big.begin(), big.end(), 0u, [](unsigned h, char c) { return h * 31 + c; }) << '\n';

  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Circle>(1.5));
  shapes.push_back(std::make_unique<Rect>(2, 3.25));
  shapes.push_back(std::make_unique<Circle>(0.1));
  std::sort(shapes.begin(), shapes.end(), [](const auto &a, const auto &b) { return a->area() < b->area(); });
  for (const auto &sh : shapes) std::cout << sh->name() << " area=" << std::setprecision(10) << sh->area() << '\n';

  for (const char *in : {"12", "-4", "abc", "99999999999"}) {
    try {
      std::cout << "parse " << in << " -> " << parse_positive(in) << '\n';
    } catch (const std::domain_error &e) {
      std::cout << "domain_error: " << e.what() << '\n';
    } catch (const std::invalid_argument &e) {
      std::cout << "invalid_argument: " << e.what() << '\n';
    } catch (const std::out_of_range &e) {
      std::cout << "out_of_range: " << e.what() << '\n';
    }
  }
  try {
    std::vector<int> small(3);
    std::cout << small.at(5);
  } catch (const std::exception &e) {
    std::cout << "caught: " << e.what() << '\n';
  }
  std::cerr << "cerr works too\n";
  return 0;
}
