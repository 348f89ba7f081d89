// Debian libpcap-dev: offline reading of pcap and pcapng files.
#include <pcap/pcap.h>
