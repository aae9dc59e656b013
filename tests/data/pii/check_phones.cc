// Checks phone numbers against libphonenumber (Debian libphonenumber-dev): reads "REGION<TAB>number" lines (region
// ZZ for numbers with a +country code), prints validity, exits 1 if one is invalid. Used by gen_probe12.py --phones.
#include <phonenumbers/phonenumberutil.h>
#include <iostream>
#include <string>
using namespace i18n::phonenumbers;
int main() {
  PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
  std::string line; int bad = 0;
  while (std::getline(std::cin, line)) {
    auto t = line.find('\t');
    std::string reg = line.substr(0, t), num = line.substr(t + 1);
    PhoneNumber n;
    if (u->Parse(num, reg, &n) != PhoneNumberUtil::NO_PARSING_ERROR) { std::cout << "PARSEFAIL " << line << "\n"; bad++; continue; }
    bool v = u->IsValidNumber(n);
    std::string r; u->GetRegionCodeForNumber(n, &r);
    std::cout << (v ? "ok   " : "BAD  ") << reg << " " << num << " -> " << r << " type " << u->GetNumberType(n) << "\n";
    bad += !v;
  }
  return bad != 0;
}
