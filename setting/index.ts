AppSettingsPage({
  build() {
    return Text({}, 'Decompress');
  },
});
