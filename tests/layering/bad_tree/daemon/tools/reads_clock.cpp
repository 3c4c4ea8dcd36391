// Reading the system clock outside runtime/: the layering check must refuse this. Never compiled.
long now_ms() {
  return std::chrono::system_clock::now().time_since_epoch().count();
}
