// Reads a configuration file with boost::property_tree, the reader Kurento Media Server loads its
// configuration with (server/media-server/server/loadConfig.cpp: read_json, read_ini), and prints
// the tree as JSON, so tests see exactly where each key lands. Usage: read-ptree ini|json FILE
#include <boost/property_tree/ini_parser.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <iostream>
#include <string>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: read-ptree ini|json FILE" << std::endl;
    return 2;
  }
  boost::property_tree::ptree tree;
  try {
    if (std::string(argv[1]) == "ini") boost::property_tree::read_ini(argv[2], tree);
    else boost::property_tree::read_json(argv[2], tree);
  } catch (const boost::property_tree::ptree_error &e) {
    std::cerr << e.what() << std::endl;
    return 1;
  }
  boost::property_tree::write_json(std::cout, tree);
  return 0;
}
